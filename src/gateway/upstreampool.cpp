// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreampool.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

UpstreamPool::UpstreamPool(int managers, QObject *parent)
    : QObject(parent)
{
    m_slots.resize(std::max(1, managers));
    for (Slot &slot : m_slots) {
        slot.manager = new QNetworkAccessManager(this);
        slot.manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        slot.manager->setCookieJar(nullptr);
    }
}

UpstreamPool::~UpstreamPool() = default;

QNetworkReply *UpstreamPool::send(const UpstreamCall &call)
{
    const auto slot
        = std::min_element(m_slots.begin(), m_slots.end(),
                           [](const Slot &a, const Slot &b) { return a.active < b.active; });
    QNetworkRequest request(call.url);
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);
    // Bodies are forwarded as they are; never let Qt decompress or cache behind our back.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, call.url.scheme() == u"https");
    QNetworkReply *reply = slot->manager->sendCustomRequest(request, call.method, call.body);
    const qsizetype index = slot - m_slots.begin();
    ++slot->active;
    connect(reply, &QNetworkReply::finished, this, [this, index] { --m_slots[index].active; });
    return reply;
}
