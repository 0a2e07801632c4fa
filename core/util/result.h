// Result<T>: errors as values at the core's public boundary.
//
// Every public core function that can fail on user input (files, prompts,
// checkpoints) returns Result<T> or Status. Exceptions from LibTorch or
// OpenCV are caught inside the core (see guard.h) and turned into an Error
// whose message names the file, row or key at fault.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace shenbi {

// What went wrong, for callers that act on it (exit status, a retry, a
// dialog's wording). Every error names one; there is no catch-all code.
enum class ErrorCode {
    InvalidArgument,  // a flag, parameter or prompt out of its range
    NotFound,
    PermissionDenied,
    Io,             // reading or writing failed (full disk, device error)
    Corrupt,        // malformed file, bad magic, truncated archive, bad checksum
    ShapeMismatch,  // checkpoint keys or shapes do not fit the model
    Cancelled,
    Unsupported,  // valid, but not something this build or device does
    OutOfMemory,  // an allocation failed, on the CPU or the GPU
    Internal,     // a library failed in a way the core has no better word for: a bug to report
};

// "invalid argument", "not found", ...: for logs and `shenbi-cli` messages.
const char* error_code_name(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

inline Error make_error(ErrorCode code, std::string message) {
    return Error{code, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(v_); }
    const std::string& message() const { return error().message; }

private:
    std::variant<T, Error> v_;
};

// Result of an operation without a value.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
    static Status success() { return {}; }

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }
    const std::string& message() const { return error_.message; }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace shenbi

// Early return of the error of an expression that yields Status or Result.
#define SHENBI_TRY_STATUS(expr)                                  \
    do {                                                         \
        auto shenbi_status_ = (expr);                            \
        if (!shenbi_status_.ok()) return shenbi_status_.error(); \
    } while (0)
