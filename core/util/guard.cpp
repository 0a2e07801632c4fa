#include "core/util/guard.h"

#include <cerrno>
#include <filesystem>
#include <ios>
#include <new>
#include <stdexcept>
#include <system_error>

#include <c10/util/Exception.h>
#include <opencv2/core.hpp>

namespace shenbi {

std::string current_exception_message() {
    try {
        throw;
    } catch (const c10::Error& e) {
        return e.what_without_backtrace();
    } catch (const cv::Exception& e) {
        return e.err.empty() ? std::string(e.what()) : e.err;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

namespace {

ErrorCode code_of_errno(int value) {
    switch (value) {
        case ENOENT:
        case ENOTDIR:
            return ErrorCode::NotFound;
        case EACCES:
        case EPERM:
        case EROFS:
            return ErrorCode::PermissionDenied;
        case ENOMEM:
            return ErrorCode::OutOfMemory;
        default:
            return ErrorCode::Io;
    }
}

// The code for the exception being handled, most specific type first.
ErrorCode current_exception_code() {
    try {
        throw;
    } catch (const c10::OutOfMemoryError&) {
        return ErrorCode::OutOfMemory;
    } catch (const c10::NotImplementedError&) {
        return ErrorCode::Unsupported;
    } catch (const c10::IndexError&) {
        return ErrorCode::InvalidArgument;
    } catch (const c10::ValueError&) {
        return ErrorCode::InvalidArgument;
    } catch (const c10::TypeError&) {
        return ErrorCode::InvalidArgument;
    } catch (const c10::Error&) {
        return ErrorCode::Internal;
    } catch (const cv::Exception& e) {
        if (e.code == cv::Error::StsNoMem) return ErrorCode::OutOfMemory;
        if (e.code == cv::Error::StsBadArg || e.code == cv::Error::StsOutOfRange) return ErrorCode::InvalidArgument;
        return ErrorCode::Internal;
    } catch (const std::bad_alloc&) {
        return ErrorCode::OutOfMemory;
    } catch (const std::system_error& e) {  // std::filesystem::filesystem_error and std::ios_base::failure too
        if (e.code().category() == std::generic_category() || e.code().category() == std::system_category())
            return code_of_errno(e.code().value());
        return ErrorCode::Io;
    } catch (const std::invalid_argument&) {
        return ErrorCode::InvalidArgument;
    } catch (const std::out_of_range&) {
        return ErrorCode::InvalidArgument;
    } catch (...) {
        return ErrorCode::Internal;
    }
}

}  // namespace

Error current_exception_error(const std::string& context) {
    const ErrorCode code = current_exception_code();
    const std::string message = current_exception_message();
    return make_error(code, context.empty() ? message : context + ": " + message);
}

}  // namespace shenbi
