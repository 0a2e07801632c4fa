// Reconstruction quality of the first stage: PSNR and SSIM between 8-bit
// RGB images of the same size.
#pragma once

#include <opencv2/core.hpp>

namespace shenbi {

// 10 log10(255^2 / MSE) over all channels; 100 for identical images.
double psnr(const cv::Mat& a, const cv::Mat& b);

// Wang et al. 2004: Gaussian window 11 x 11, sigma 1.5, K1 0.01, K2 0.03,
// on each RGB channel, averaged.
double ssim(const cv::Mat& a, const cv::Mat& b);

}  // namespace shenbi
