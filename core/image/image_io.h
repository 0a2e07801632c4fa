// Image conversions shared by data loading, the pipeline and export.
// Images travel as cv::Mat 8-bit RGB (not OpenCV's usual BGR) and as
// float tensors (3, H, W) in [-1, 1], ARTIST's normalisation (x/127.5 - 1).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/util/result.h"

namespace at {
class Tensor;
}

namespace shenbi {

// Decodes any format OpenCV reads (PNG, JPEG, WebP, ...). Alpha is
// composited onto white, grey becomes RGB. Returns 8-bit RGB.
// Errors say what is wrong in words: ErrorCode::Corrupt for bytes that are no
// readable image; ErrorCode::Unsupported for one larger than OpenCV decodes
// ("image is larger than OpenCV's limit of 1073741824 pixels (the environment
// variable OPENCV_IO_MAX_IMAGE_PIXELS raises it)"), never OpenCV's assertion.
Result<cv::Mat> decode_image(const std::vector<std::uint8_t>& bytes);
// 8-bit 4-channel -> 3-channel over white, p = (c * a + 255 * (255 - a)) / 255,
// rounded; channel order is kept (BGRA -> BGR, RGBA -> RGB).
cv::Mat composite_on_white(const cv::Mat& four_channel);
// decode_image of a file's bytes; errors start with `path`.
Result<cv::Mat> read_image(const std::string& path);

// Shortest side to `size` (area filter when shrinking), then center crop.
cv::Mat resize_center_crop(const cv::Mat& rgb, int size);

// (3, H, W) float in [-1, 1]
at::Tensor image_to_tensor(const cv::Mat& rgb);
// (3, H, W) in [-1, 1] -> 8-bit RGB, clipped to 0..255
cv::Mat tensor_to_image(const at::Tensor& chw);

Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& rgb);
// encode_png, then written atomically (temp file, rename) to `path`.
Status write_png(const std::filesystem::path& path, const cv::Mat& rgb);

}  // namespace shenbi
