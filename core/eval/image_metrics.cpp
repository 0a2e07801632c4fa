#include "core/eval/image_metrics.h"

#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace shenbi {

double psnr(const cv::Mat& a, const cv::Mat& b) {
    const double mse = cv::norm(a, b, cv::NORM_L2SQR) / static_cast<double>(a.total() * a.channels());
    return mse <= 0 ? 100.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

namespace {

// SSIM of one channel (CV_64F), averaged over the image.
double ssim_channel(const cv::Mat& x, const cv::Mat& y) {
    constexpr double C1 = (0.01 * 255) * (0.01 * 255), C2 = (0.03 * 255) * (0.03 * 255);
    auto blur = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, {11, 11}, 1.5);
        return out;
    };
    const cv::Mat mx = blur(x), my = blur(y);
    const cv::Mat mx2 = mx.mul(mx), my2 = my.mul(my), mxy = mx.mul(my);
    const cv::Mat sx = blur(x.mul(x)) - mx2, sy = blur(y.mul(y)) - my2, sxy = blur(x.mul(y)) - mxy;
    cv::Mat num = (2 * mxy + C1).mul(2 * sxy + C2), den = (mx2 + my2 + C1).mul(sx + sy + C2), map;
    cv::divide(num, den, map);
    return cv::mean(map)[0];
}

}  // namespace

double ssim(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat x, y;
    a.convertTo(x, CV_64F);
    b.convertTo(y, CV_64F);
    std::vector<cv::Mat> xs, ys;
    cv::split(x, xs);
    cv::split(y, ys);
    double s = 0;
    for (std::size_t c = 0; c < xs.size(); ++c) s += ssim_channel(xs[c], ys[c]);
    return s / static_cast<double>(xs.size());
}

}  // namespace shenbi
