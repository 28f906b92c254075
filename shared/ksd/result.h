// Errors from the outside world are values: Result<T> holds either a T or an Error with a
// message meant for a log line or a staff screen (never for a visitor).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ksd {

struct Error {
    std::string message;
    // SQLite's extended result code when the error came from SQLite (SQLITE_FULL, SQLITE_READONLY,
    // SQLITE_IOERR_*), 0 otherwise: lets callers tell a full disk from a bug without parsing text.
    int sqlite_code {0};

    // The same error with context in front of the message, keeping the code.
    Error context(std::string const& what) const {
        return Error {what + ": " + message, sqlite_code};
    }
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::in_place_index<0>, std::move(value)) { }
    Result(Error error)
        : m_value(std::in_place_index<1>, std::move(error)) { }

    bool ok() const { return m_value.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() {
        assert(ok() && "Result::value() on an error: check ok() first");
        return std::get<0>(m_value);
    }
    T const& value() const {
        assert(ok() && "Result::value() on an error: check ok() first");
        return std::get<0>(m_value);
    }
    T release_value() { return std::move(value()); }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }
    T& operator*() { return value(); }

    Error const& error() const {
        assert(!ok() && "Result::error() on a value: check ok() first");
        return std::get<1>(m_value);
    }

private:
    std::variant<T, Error> m_value;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true) { }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    Error const& error() const {
        assert(m_failed && "Result<void>::error() on success");
        return m_error;
    }

private:
    Error m_error;
    bool m_failed {false};
};

inline Error make_error(std::string message) {
    return Error {std::move(message)};
}

} // namespace ksd

// Propagates an error to the caller: TRY_RESULT(auto x, f());
#define KSD_CONCAT_INNER(a, b) a##b
#define KSD_CONCAT(a, b) KSD_CONCAT_INNER(a, b)
#define TRY_VOID(expr)                                                                             \
    do {                                                                                           \
        auto _ksd_r = (expr);                                                                      \
        if (!_ksd_r.ok())                                                                          \
            return _ksd_r.error();                                                                 \
    } while (0)
// decl is a declaration ("auto x") and tmp a name: neither may be put in parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define TRY_RESULT_IMPL(decl, expr, tmp)                                                           \
    auto tmp = (expr);                                                                             \
    if (!tmp.ok())                                                                                 \
        return tmp.error();                                                                        \
    decl = tmp.release_value()
// NOLINTEND(bugprone-macro-parentheses)
#define TRY_RESULT(decl, expr) TRY_RESULT_IMPL(decl, expr, KSD_CONCAT(_ksd_try_, __LINE__))
