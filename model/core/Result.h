#pragma once

// Errors are values that name the place. A Result<T> holds either a T or an Error that says
// where (backend and endpoint, or file and offset), what went wrong, and a hint for the user.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace rootline {

struct Error {
    std::string where; // "cache /tmp/x.rootline", "otlp.jsonl:1234", "loki GET /loki/api/v1/query_range"
    std::string what;  // what went wrong, in plain words
    std::string hint;  // what the user can do about it; may be empty

    // "where: what (hint)" — one line, suitable for a CLI error or a status bar.
    std::string message() const;

    // Adds context in front of `where`, so an error raised deep inside keeps the outer place too.
    Error within(const std::string& outer) const;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_state); }
    const T& value() const& { assert(ok()); return std::get<0>(m_state); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { assert(!m_ok); return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

} // namespace rootline
