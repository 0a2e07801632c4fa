// guarded(): an exception becomes an Error whose code follows its type, so a
// caller can tell "out of memory" from "no such file" from a library bug.
#include "core/util/guard.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <new>
#include <stdexcept>
#include <system_error>

#include <c10/util/Exception.h>
#include <opencv2/core.hpp>

namespace shenbi {
namespace {

template <class Throw>
Error error_from(Throw&& thrower) {
    Status st = guarded("ctx", [&]() -> Status {
        thrower();
        return Status::success();
    });
    EXPECT_FALSE(st.ok());
    return st.error();
}

TEST(Guard, CodeFollowsTheExceptionType) {
    EXPECT_EQ(error_from([] { throw std::bad_alloc(); }).code, ErrorCode::OutOfMemory);
    EXPECT_EQ(error_from([] {
                  throw std::filesystem::filesystem_error("open", "/x",
                                                          std::make_error_code(std::errc::no_such_file_or_directory));
              }).code,
              ErrorCode::NotFound);
    EXPECT_EQ(error_from([] {
                  throw std::filesystem::filesystem_error("open", "/x",
                                                          std::make_error_code(std::errc::permission_denied));
              }).code,
              ErrorCode::PermissionDenied);
    EXPECT_EQ(error_from([] { throw std::system_error(std::make_error_code(std::errc::no_space_on_device)); }).code,
              ErrorCode::Io);
    EXPECT_EQ(error_from([] { throw std::invalid_argument("bad"); }).code, ErrorCode::InvalidArgument);
    EXPECT_EQ(error_from([] { TORCH_CHECK_INDEX(false, "index 9 out of range"); }).code, ErrorCode::InvalidArgument);
    EXPECT_EQ(error_from([] { TORCH_CHECK_NOT_IMPLEMENTED(false, "no kernel"); }).code, ErrorCode::Unsupported);
    EXPECT_EQ(error_from([] { TORCH_CHECK(false, "shape"); }).code, ErrorCode::Internal);
    EXPECT_EQ(error_from([] { CV_Error(cv::Error::StsNoMem, "alloc"); }).code, ErrorCode::OutOfMemory);
    EXPECT_EQ(error_from([] { throw 42; }).code, ErrorCode::Internal);
}

TEST(Guard, MessageKeepsTheContextAndDropsLibTorchsBacktrace) {
    const Error e = error_from([] { TORCH_CHECK(false, "the reason"); });
    EXPECT_EQ(e.message.rfind("ctx: ", 0), 0u) << e.message;
    EXPECT_NE(e.message.find("the reason"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("Exception raised from"), std::string::npos) << e.message;
    EXPECT_STREQ(error_code_name(e.code), "internal error");
}

}  // namespace
}  // namespace shenbi
