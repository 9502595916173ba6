// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

/// Validates a JSON object that arrives in pieces (a tool call's streamed `arguments`) and
/// says what of each piece may be passed on, so that what was passed on plus completion()
/// always parses as an object with QJsonDocument, whatever the pieces hold.
///
/// A state machine over the grammar, one character at a time: work is linear in the input
/// and what it keeps is bounded (the open containers, at most maxDepth, and one held token).
/// Strict JSON where QJsonDocument is lenient (unknown escapes such as \', "1.", ".5"),
/// except that a raw control character in a string, which QJsonDocument takes as itself, is
/// passed on as its \u escape. As strict as QJsonDocument where that is strict beyond the
/// grammar: its nesting limit, and numbers a double cannot hold (1e999, 1e-999).
///
/// Leading whitespace is dropped, and nothing is passed on before the '{' that starts the
/// object; so is whitespace after a comma. A number, an escape sequence and a comma are held until
/// they are known to be good (the number ended and fits in a double; the escape is whole; a member
/// or element follows the comma), so that a bad one never reaches the client. At the first
/// character that cannot continue the object, the scan is over: nothing more is passed on.
class JsonScan
{
public:
    /// QJsonDocument refuses deeper nesting.
    static constexpr qsizetype maxDepth = 1024;
    /// A longer number is taken as malformed (no double needs that many characters).
    static constexpr qsizetype maxNumberChars = 1024;

    /// Takes the next piece; returns the text to pass on now (the valid part of the piece,
    /// with what was held and is now known to be good in front).
    QString feed(QStringView piece);
    /// The object is whole: nothing more will be passed on, and nothing need be added.
    bool isComplete() const { return m_expect == Expect::End; }
    /// Complete, or malformed: nothing more will be passed on.
    bool isOver() const { return isComplete() || m_failed; }
    /// What to add after everything feed() returned to make it an object: open strings and
    /// containers closed, a held number that is good, null for a value still missing; "{}"
    /// when the text did not start an object; empty when nothing but whitespace came.
    QString completion() const;

private:
    /// What may come next outside a string, number or literal.
    enum class Expect : quint8 {
        Object, ///< the '{' that starts it all
        FirstKey, ///< a key or '}'
        Key, ///< a key, after a comma
        Colon,
        FirstValue, ///< a value or ']'
        Value, ///< a value, after a colon or a comma in an array
        Next, ///< a comma or the innermost container's close
        End,
    };
    enum class Token : quint8 { None, String, Escape, Unicode, Number, Literal };
    /// Where in the number grammar: after '-', a leading 0, integer digits, '.', fraction
    /// digits, 'e', the exponent's sign, exponent digits.
    enum class Number : quint8 { Minus, Zero, Integer, Dot, Fraction, E, ExponentSign, Exponent };

    bool step(QChar c, QString &out);
    bool stringStep(QChar c, QString &out);
    bool structural(QChar c, QString &out);
    bool value(QChar c, QString &out);
    bool open(QChar c, QString &out);
    bool close(QChar c, QString &out);
    bool numberStep(QChar c);
    bool numberIsGood() const;
    void release(QString &out);

    Expect m_expect = Expect::Object;
    Token m_token = Token::None;
    Number m_number = Number::Minus;
    bool m_key = false; ///< the open string is a key
    bool m_failed = false;
    QLatin1StringView m_literal; ///< true, false or null being read
    qsizetype m_literalAt = 0;
    QString m_open; ///< the containers not closed yet, '{' or '['
    QString m_held; ///< accepted but not passed on yet (see the class comment)
};
