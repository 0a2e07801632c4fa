#include "core/image/image_io.h"

#include <cstdlib>
#include <optional>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/util/atomic_file.h"
#include "core/util/guard.h"

namespace shenbi {
namespace {

// OpenCV refuses to decode an image whose header declares more than these
// (imgcodecs' validateInputImageSize, limits read from the environment once,
// at start-up) with a CV_Assert whose message is the source condition, e.g.
// "pixels <= CV_IO_MAX_IMAGE_PIXELS". The same in words: the limit, and the
// variable that raises it.
struct SizeLimit {
    const char* condition;  // in the assertion's text
    const char* variable;   // the environment variable OpenCV reads
    unsigned long long fallback;
    const char* comparison;
};
constexpr SizeLimit kSizeLimits[] = {
    {"CV_IO_MAX_IMAGE_PIXELS", "OPENCV_IO_MAX_IMAGE_PIXELS", 1ull << 30, "larger than"},
    {"CV_IO_MAX_IMAGE_WIDTH", "OPENCV_IO_MAX_IMAGE_WIDTH", 1ull << 20, "wider than"},
    {"CV_IO_MAX_IMAGE_HEIGHT", "OPENCV_IO_MAX_IMAGE_HEIGHT", 1ull << 20, "taller than"},
};

std::optional<Error> size_limit_error(const std::string& assertion) {
    for (const auto& limit : kSizeLimits) {
        if (assertion.find(limit.condition) == std::string::npos) continue;
        const char* set = std::getenv(limit.variable);
        const std::string value = set && *set ? std::string(set) : std::to_string(limit.fallback);
        return make_error(ErrorCode::Unsupported, std::string("image is ") + limit.comparison + " OpenCV's limit of " +
                                                      value + " pixels (the environment variable " + limit.variable +
                                                      " raises it)");
    }
    if (assertion.find("size.width > 0") != std::string::npos || assertion.find("size.height > 0") != std::string::npos)
        return make_error(ErrorCode::Corrupt, "the image's header declares no width or no height (damaged?)");
    return std::nullopt;
}

}  // namespace

cv::Mat composite_on_white(const cv::Mat& four_channel) {
    cv::Mat out(four_channel.rows, four_channel.cols, CV_8UC3);
    for (int y = 0; y < four_channel.rows; ++y) {
        const auto* src = four_channel.ptr<cv::Vec4b>(y);
        auto* dst = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < four_channel.cols; ++x) {
            const int a = src[x][3];
            for (int c = 0; c < 3; ++c)
                dst[x][c] = static_cast<std::uint8_t>((src[x][c] * a + 255 * (255 - a) + 127) / 255);
        }
    }
    return out;
}

Result<cv::Mat> decode_image(const std::vector<std::uint8_t>& bytes) {
    return guarded("decode image", [&]() -> Result<cv::Mat> {
        if (bytes.empty()) return make_error(ErrorCode::Corrupt, "empty image data");
        cv::Mat raw;
        try {
            raw = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        } catch (const cv::Exception& e) {
            if (auto limit = size_limit_error(e.err)) return *limit;
            throw;  // guarded() names it (out of memory, ...)
        }
        if (raw.empty())
            return make_error(ErrorCode::Corrupt, "not a readable image (" + std::to_string(bytes.size()) + " bytes)");
        if (raw.depth() == CV_16U) raw.convertTo(raw, CV_8U, 1.0 / 257.0);
        cv::Mat rgb;
        switch (raw.channels()) {
            case 1:
                cv::cvtColor(raw, rgb, cv::COLOR_GRAY2RGB);
                break;
            case 3:
                cv::cvtColor(raw, rgb, cv::COLOR_BGR2RGB);
                break;
            case 4:
                cv::cvtColor(composite_on_white(raw), rgb, cv::COLOR_BGR2RGB);
                break;
            default:
                return make_error(ErrorCode::Unsupported,
                                  "unsupported channel count " + std::to_string(raw.channels()));
        }
        return rgb;
    });
}

Result<cv::Mat> read_image(const std::string& path) {
    auto bytes = read_file(path);
    if (!bytes) return bytes.error();
    auto img = decode_image(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
    if (!img) return make_error(img.error().code, path + ": " + img.message());
    return img;
}

cv::Mat resize_center_crop(const cv::Mat& rgb, int size) {
    const double scale = static_cast<double>(size) / std::min(rgb.rows, rgb.cols);
    const int w = std::max(size, static_cast<int>(std::lround(rgb.cols * scale)));
    const int h = std::max(size, static_cast<int>(std::lround(rgb.rows * scale)));
    cv::Mat resized;
    cv::resize(rgb, resized, cv::Size(w, h), 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
    const cv::Rect roi((w - size) / 2, (h - size) / 2, size, size);
    return resized(roi).clone();
}

at::Tensor image_to_tensor(const cv::Mat& rgb) {
    cv::Mat contiguous = rgb.isContinuous() ? rgb : rgb.clone();
    auto t = torch::from_blob(contiguous.data, {contiguous.rows, contiguous.cols, 3}, torch::kUInt8)
                 .permute({2, 0, 1})  // (3, H, W)
                 .to(torch::kFloat32);
    return t / 127.5 - 1.0;
}

cv::Mat tensor_to_image(const at::Tensor& chw) {
    auto t = ((chw.detach().to(torch::kCPU, torch::kFloat32) + 1.0) * 127.5).round().clamp(0, 255);
    t = t.to(torch::kUInt8).permute({1, 2, 0}).contiguous();  // (H, W, 3)
    cv::Mat out(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), CV_8UC3);
    std::memcpy(out.data, t.data_ptr<std::uint8_t>(), static_cast<std::size_t>(t.numel()));
    return out;
}

Result<std::vector<std::uint8_t>> encode_png(const cv::Mat& rgb) {
    return guarded("encode PNG", [&]() -> Result<std::vector<std::uint8_t>> {
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<std::uint8_t> out;
        if (!cv::imencode(".png", bgr, out)) return make_error(ErrorCode::Io, "PNG encoding failed");
        return out;
    });
}

Status write_png(const std::filesystem::path& path, const cv::Mat& rgb) {
    auto png = encode_png(rgb);
    if (!png) return png.error();
    return write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(png->data()), png->size()));
}

}  // namespace shenbi
