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

// Runs fn(); an exception becomes an Error prefixed with `context`.
// fn returns Result<T> or Status.
template <class Fn>
auto guarded(const std::string& context, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (...) {
        return make_error(ErrorCode::Generic, context + ": " + current_exception_message());
    }
}

}  // namespace shenbi
