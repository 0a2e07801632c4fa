#include "core/util/guard.h"

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

}  // namespace shenbi
