// SPDX-License-Identifier: GPL-3.0-or-later
#include "claudesettingsfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

ClaudeSettingsFile::ClaudeSettingsFile(QString path)
    : m_path(std::move(path))
{ }

QString ClaudeSettingsFile::defaultPath()
{
    return QDir(QDir::homePath()).filePath(u".claude/settings.json"_s);
}

Result<QByteArray> ClaudeSettingsFile::readBytes() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::io(tr("Cannot read %1: %2. Check the file's permissions.")
                             .arg(QDir::toNativeSeparators(m_path), file.errorString()));
    }
    return file.readAll();
}

Result<QJsonObject> ClaudeSettingsFile::parse(const QByteArray &bytes) const
{
    // An empty file is what an editor leaves after "clear all": treat it as no settings.
    if (bytes.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        return Error::invalid(tr("%1 is not valid JSON (%2 at character %3). Fix the file or "
                                 "move it away, then try again.")
                                  .arg(QDir::toNativeSeparators(m_path), error.errorString())
                                  .arg(error.offset));
    }
    if (!doc.isObject()) {
        return Error::invalid(tr("%1 does not hold a JSON object. Fix the file or move it "
                                 "away, then try again.")
                                  .arg(QDir::toNativeSeparators(m_path)));
    }
    const QJsonObject root = doc.object();
    if (root.contains(u"env"_s) && !root.value(u"env"_s).isObject()) {
        return Error::invalid(tr("\"env\" in %1 is not an object. Fix the file or move it "
                                 "away, then try again.")
                                  .arg(QDir::toNativeSeparators(m_path)));
    }
    return root;
}

Result<ClaudeSettingsFile::Connection> ClaudeSettingsFile::read() const
{
    Connection connection;
    if (!QFileInfo::exists(m_path))
        return connection;
    connection.exists = true;
    auto bytes = readBytes();
    if (!bytes)
        return bytes.error();
    auto root = parse(*bytes);
    if (!root)
        return root.error();
    const QJsonObject env = root->value(u"env"_s).toObject();
    connection.baseUrl = env.value(baseUrlVariable).toString();
    connection.token = env.value(tokenVariable).toString();
    return connection;
}

bool ClaudeSettingsFile::pointsAt(const Connection &connection, const QString &endpointUrl)
{
    if (endpointUrl.isEmpty() || connection.token.isEmpty())
        return false;
    auto normalized = [](QString url) {
        while (url.endsWith(u'/'))
            url.chop(1);
        return url;
    };
    return normalized(connection.baseUrl) == normalized(endpointUrl);
}

Status ClaudeSettingsFile::save(const QString &path, const QByteArray &bytes) const
{
    QSaveFile file(path);
    // The file and its backup may hold keys (ours, or one the user put there): owner only.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(bytes) != bytes.size() || !file.commit()) {
        return Error::io(tr("Cannot write %1: %2. Check that the folder is writable.")
                             .arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return {};
}

Result<ClaudeSettingsFile::Change> ClaudeSettingsFile::write(const QString &baseUrl,
                                                             const QString &token) const
{
    Change change;
    change.existed = QFileInfo::exists(m_path);
    QJsonObject root;
    if (change.existed) {
        auto bytes = readBytes();
        if (!bytes)
            return bytes.error();
        change.previous = *bytes;
        auto parsed = parse(change.previous);
        if (!parsed)
            return parsed.error();
        root = *parsed;
    } else {
        const QString dir = QFileInfo(m_path).absolutePath();
        if (!QDir().mkpath(dir)) {
            return Error::io(tr("Cannot create the folder %1. Check the permissions of its "
                                "parent folder.")
                                 .arg(QDir::toNativeSeparators(dir)));
        }
    }
    QJsonObject env = root.value(u"env"_s).toObject();
    env.insert(baseUrlVariable, baseUrl);
    env.insert(tokenVariable, token);
    root.insert(u"env"_s, env);

    if (change.existed) {
        if (Status backedUp = save(backupPath(), change.previous); !backedUp)
            return backedUp.error();
    }
    if (Status saved = save(m_path, QJsonDocument(root).toJson(QJsonDocument::Indented)); !saved)
        return saved.error();
    return change;
}

Status ClaudeSettingsFile::undo(const Change &change) const
{
    if (change.existed)
        return save(m_path, change.previous);
    QFile file(m_path);
    if (file.exists() && !file.remove()) {
        return Error::io(tr("Cannot remove %1: %2. Remove it by hand.")
                             .arg(QDir::toNativeSeparators(m_path), file.errorString()));
    }
    return {};
}
