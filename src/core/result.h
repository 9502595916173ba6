// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <utility>
#include <variant>

/// What went wrong, as a value. The kind lets callers pick an exit code or HTTP status.
struct Error
{
    enum class Kind {
        Invalid, ///< the input is wrong (bad URL, unknown provider, …)
        NotFound, ///< no such account / key / setting
        Conflict, ///< would break a uniqueness rule (duplicate name)
        Storage, ///< the database failed
        Secret, ///< the keychain or secrets file failed
        Io, ///< a file could not be read or written
    };

    Kind kind = Kind::Invalid;
    QString message;

    static Error invalid(QString m) { return {Kind::Invalid, std::move(m)}; }
    static Error notFound(QString m) { return {Kind::NotFound, std::move(m)}; }
    static Error conflict(QString m) { return {Kind::Conflict, std::move(m)}; }
    static Error storage(QString m) { return {Kind::Storage, std::move(m)}; }
    static Error secret(QString m) { return {Kind::Secret, std::move(m)}; }
    static Error io(QString m) { return {Kind::Io, std::move(m)}; }
};

/// A value or an Error: the std::expected we cannot use yet in C++20.
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    { }
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    { }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    T value_or(T fallback) const & { return ok() ? value() : std::move(fallback); }

    /// The error; an empty one on success, so diagnostics may read it unconditionally.
    const Error &error() const
    {
        static const Error none;
        return ok() ? none : std::get<1>(m_data);
    }

private:
    std::variant<T, Error> m_data;
};

/// Success or an Error.
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_ok(false)
    { }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;
