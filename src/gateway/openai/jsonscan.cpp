// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonscan.h"

using namespace Qt::StringLiterals;

namespace {

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isHex(QChar c)
{
    return isDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

QChar closer(QChar opener)
{
    return opener == u'{' ? u'}' : u']';
}

} // namespace

QString JsonScan::feed(QStringView piece)
{
    QString out;
    for (const QChar c : piece) {
        if (isOver())
            break;
        if (!step(c, out))
            m_failed = true;
    }
    return out;
}

void JsonScan::release(QString &out)
{
    out += m_held;
    m_held.clear();
}

bool JsonScan::step(QChar c, QString &out)
{
    switch (m_token) {
    case Token::String:
    case Token::Escape:
    case Token::Unicode:
        return stringStep(c, out);
    case Token::Literal:
        if (c != QChar(m_literal[m_literalAt]))
            return false;
        out += c;
        if (++m_literalAt == m_literal.size()) {
            m_token = Token::None;
            m_expect = Expect::Next;
        }
        return true;
    case Token::Number:
        if (numberStep(c)) {
            m_held += c;
            return m_held.size() <= maxNumberChars;
        }
        if (!numberIsGood())
            return false;
        // The number ended good; c is what follows it.
        release(out);
        m_token = Token::None;
        m_expect = Expect::Next;
        break;
    case Token::None:
        break;
    }
    return structural(c, out);
}

bool JsonScan::stringStep(QChar c, QString &out)
{
    if (m_token == Token::Escape) {
        if (c == u'u') {
            m_token = Token::Unicode;
        } else if (QStringView(u"\"\\/bfnrt").contains(c)) {
            m_held += c;
            release(out);
            m_token = Token::String;
            return true;
        } else {
            return false;
        }
    } else if (m_token == Token::Unicode) {
        if (!isHex(c))
            return false;
        m_held += c;
        if (m_held.size() == 6) { // backslash, u, four digits
            release(out);
            m_token = Token::String;
        }
        return true;
    } else if (c == u'\\') {
        m_token = Token::Escape;
    } else if (c == u'"') {
        out += c;
        m_token = Token::None;
        m_expect = m_key ? Expect::Colon : Expect::Next;
        return true;
    } else if (c.unicode() < 0x20) {
        // Not JSON, but QJsonDocument (and so the non-streaming answer) takes it as itself.
        out += u"\\u00"_s + QString::number(c.unicode(), 16).rightJustified(2, u'0');
        return true;
    } else {
        out += c;
        return true;
    }
    m_held += c;
    return true;
}

bool JsonScan::structural(QChar c, QString &out)
{
    if (isSpace(c)) {
        // Dropped before the object, and after a held comma (holding it would be unbounded).
        if (m_expect != Expect::Object && m_held.isEmpty())
            out += c;
        return true;
    }
    switch (m_expect) {
    case Expect::Object:
        return c == u'{' && open(c, out);
    case Expect::FirstKey:
        if (c == u'}')
            return close(c, out);
        [[fallthrough]];
    case Expect::Key:
        if (c != u'"')
            return false;
        release(out);
        out += c;
        m_token = Token::String;
        m_key = true;
        return true;
    case Expect::Colon:
        if (c != u':')
            return false;
        out += c;
        m_expect = Expect::Value;
        return true;
    case Expect::FirstValue:
        if (c == u']')
            return close(c, out);
        [[fallthrough]];
    case Expect::Value:
        return value(c, out);
    case Expect::Next:
        if (c != u',')
            return close(c, out);
        m_held = c;
        m_expect = m_open.back() == u'{' ? Expect::Key : Expect::Value;
        return true;
    case Expect::End:
        break;
    }
    return false;
}

bool JsonScan::value(QChar c, QString &out)
{
    if (c == u'{' || c == u'[')
        return open(c, out);
    if (c == u'"') {
        release(out);
        out += c;
        m_token = Token::String;
        m_key = false;
        return true;
    }
    if (c == u'-' || isDigit(c)) {
        release(out);
        m_held = c;
        m_token = Token::Number;
        m_number = c == u'-' ? Number::Minus : c == u'0' ? Number::Zero : Number::Integer;
        return true;
    }
    m_literal = c == u't' ? "true"_L1 : c == u'f' ? "false"_L1 : c == u'n' ? "null"_L1 : ""_L1;
    if (m_literal.isEmpty())
        return false;
    release(out);
    out += c;
    m_literalAt = 1;
    m_token = Token::Literal;
    return true;
}

bool JsonScan::open(QChar c, QString &out)
{
    if (m_open.size() == maxDepth)
        return false;
    release(out);
    out += c;
    m_open += c;
    m_expect = c == u'{' ? Expect::FirstKey : Expect::FirstValue;
    return true;
}

bool JsonScan::close(QChar c, QString &out)
{
    if (c != closer(m_open.back()))
        return false;
    out += c;
    m_open.chop(1);
    m_expect = m_open.isEmpty() ? Expect::End : Expect::Next;
    return true;
}

bool JsonScan::numberStep(QChar c)
{
    const bool digit = isDigit(c);
    const bool exponent = c == u'e' || c == u'E';
    Number next = m_number;
    switch (m_number) {
    case Number::Minus:
        next = c == u'0' ? Number::Zero : Number::Integer;
        if (!digit)
            return false;
        break;
    case Number::Zero:
    case Number::Integer:
        if (digit && m_number == Number::Integer)
            next = Number::Integer;
        else if (c == u'.')
            next = Number::Dot;
        else if (exponent)
            next = Number::E;
        else
            return false;
        break;
    case Number::Dot:
    case Number::Fraction:
        if (digit)
            next = Number::Fraction;
        else if (exponent && m_number == Number::Fraction)
            next = Number::E;
        else
            return false;
        break;
    case Number::E:
        if (c == u'+' || c == u'-')
            next = Number::ExponentSign;
        else if (digit)
            next = Number::Exponent;
        else
            return false;
        break;
    case Number::ExponentSign:
    case Number::Exponent:
        if (!digit)
            return false;
        next = Number::Exponent;
        break;
    }
    m_number = next;
    return true;
}

bool JsonScan::numberIsGood() const
{
    if ((m_number != Number::Zero && m_number != Number::Integer && m_number != Number::Fraction
         && m_number != Number::Exponent)
        || m_held.size() > maxNumberChars)
        return false;
    // What QJsonDocument does with a number: it refuses what does not convert (overflow, and
    // underflow of a non-zero number).
    bool ok = false;
    m_held.toLatin1().toDouble(&ok);
    return ok;
}

QString JsonScan::completion() const
{
    if (m_expect == Expect::End)
        return {};
    if (m_expect == Expect::Object)
        return m_failed ? u"{}"_s : QString();
    QString tail;
    Expect expect = m_expect;
    switch (m_token) {
    case Token::String:
    case Token::Escape: // a held escape is dropped
    case Token::Unicode:
        tail += u'"';
        expect = m_key ? Expect::Colon : Expect::Next;
        break;
    case Token::Literal:
        tail += m_literal.sliced(m_literalAt);
        expect = Expect::Next;
        break;
    case Token::Number:
        if (numberIsGood()) {
            tail += m_held;
            expect = Expect::Next;
        }
        break;
    case Token::None:
        if (!m_held.isEmpty()) // a comma, dropped
            expect = Expect::Next;
        break;
    }
    if (expect == Expect::Colon)
        tail += u":null"_s;
    else if (expect == Expect::Value)
        tail += u"null"_s;
    for (qsizetype i = m_open.size() - 1; i >= 0; --i)
        tail += closer(m_open[i]);
    return tail;
}
