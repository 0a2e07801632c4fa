#include "core/util/result.h"

namespace shenbi {

const char* error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "invalid argument";
        case ErrorCode::NotFound:
            return "not found";
        case ErrorCode::PermissionDenied:
            return "permission denied";
        case ErrorCode::Io:
            return "input/output error";
        case ErrorCode::Corrupt:
            return "corrupt data";
        case ErrorCode::ShapeMismatch:
            return "shape mismatch";
        case ErrorCode::Cancelled:
            return "cancelled";
        case ErrorCode::Unsupported:
            return "unsupported";
        case ErrorCode::OutOfMemory:
            return "out of memory";
        case ErrorCode::Internal:
            return "internal error";
    }
    return "internal error";
}

}  // namespace shenbi
