// cv::Mat (8-bit RGB, the core's convention) <-> QImage, and the upscaler
// used by export. OpenCV only, no LibTorch: safe to include anywhere in ui/.
#pragma once

#include <QImage>

#include <opencv2/core.hpp>

namespace shenbi::ui {

// Deep copy; grey and RGBA mats are converted. Null image for an empty mat.
QImage matToQImage(const cv::Mat& rgb);
// Deep copy into an 8-bit RGB mat.
cv::Mat qImageToMat(const QImage& image);

// A picture file as the model reads pictures (core/image/image_io.h: alpha on
// white, the square centre at `side` pixels); a null image with `error` set
// (naming the file) when it is no readable image.
QImage readModelPicture(const QString& path, int side, QString* error = nullptr);

// PNG bytes of `image` (Qt's encoder, no metadata); safe on any thread.
QByteArray encodePng(const QImage& image);

enum class UpscaleFilter { Nearest, Lanczos };
// factor 1 returns the image unchanged.
QImage upscale(const QImage& image, int factor, UpscaleFilter filter);

}  // namespace shenbi::ui
