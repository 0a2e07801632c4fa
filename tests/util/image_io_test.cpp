#include "core/image/image_io.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

using namespace shenbi;

TEST(ImageIo, PngRoundTripThroughTensor) {
    cv::Mat rgb(8, 12, CV_8UC3);
    cv::randu(rgb, 0, 256);
    auto t = image_to_tensor(rgb);
    EXPECT_EQ(t.sizes(), (std::vector<int64_t>{3, 8, 12}));
    EXPECT_GE(t.min().item<float>(), -1.0f);
    EXPECT_LE(t.max().item<float>(), 1.0f);
    cv::Mat back = tensor_to_image(t);
    EXPECT_EQ(cv::norm(rgb, back, cv::NORM_INF), 0.0);
    auto png = encode_png(back);
    ASSERT_TRUE(png.ok());
    auto decoded = decode_image(*png);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(cv::norm(rgb, *decoded, cv::NORM_INF), 0.0);
}

TEST(ImageIo, AlphaIsCompositedOntoWhite) {
    cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(0, 0, 255, 0));  // fully transparent red
    std::vector<std::uint8_t> png;
    cv::imencode(".png", bgra, png);
    auto rgb = decode_image(png);
    ASSERT_TRUE(rgb.ok());
    EXPECT_EQ(rgb->at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
}

TEST(ImageIo, GarbageIsAnError) {
    auto r = decode_image({1, 2, 3, 4});
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(decode_image({}).ok());
}

TEST(ImageIo, ResizeCenterCrop) {
    cv::Mat wide(40, 80, CV_8UC3, cv::Scalar(10, 20, 30));
    cv::Mat out = resize_center_crop(wide, 16);
    EXPECT_EQ(out.rows, 16);
    EXPECT_EQ(out.cols, 16);
}
