// Converts exceptions thrown by LibTorch, OpenCV or the standard library into
// Error values, so that none crosses the core's public boundary.
#pragma once

#include <exception>
#include <string>
#include <type_traits>

#include "core/util/result.h"

namespace shenbi {

// Message of the exception currently being handled, with LibTorch's
// backtrace trimmed (c10::Error::what() appends one).
std::string current_exception_message();

// The exception currently being handled as an Error: its message prefixed
// with `context`, and a code from its type (std::bad_alloc and LibTorch's
// OutOfMemoryError: OutOfMemory; a filesystem or system error: NotFound,
// PermissionDenied or Io by its errno; LibTorch's Index/Value/TypeError and
// std::invalid_argument: InvalidArgument; NotImplementedError: Unsupported;
// anything else: Internal).
Error current_exception_error(const std::string& context);

// Runs fn(); an exception becomes an Error prefixed with `context`.
// fn returns Result<T> or Status.
template <class Fn>
auto guarded(const std::string& context, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (...) {
        return current_exception_error(context);
    }
}

}  // namespace shenbi
