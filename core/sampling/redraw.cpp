#include "core/sampling/redraw.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <torch/torch.h>

#include "core/image/image_io.h"
#include "core/model/model_bundle.h"
#include "core/util/guard.h"

namespace shenbi {

Result<std::vector<std::int64_t>> encode_image_codes(const ModelBundle& model, const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        return make_error(ErrorCode::InvalidArgument, "the image to encode must be 8-bit RGB");
    return guarded("encode image", [&]() -> Result<std::vector<std::int64_t>> {
        c10::InferenceMode inference;
        Vqgan vqgan = model.net->first_stage_model;  // a handle: encoding does not change the bundle
        const int res = model.config.vqgan.resolution;
        auto x = image_to_tensor(resize_center_crop(rgb, res)).unsqueeze(0);          // (1, 3, R, R)
        auto codes = vqgan->encode(x.to(model.device)).to(torch::kCPU).contiguous();  // (1, img_len)
        return std::vector<std::int64_t>(codes.data_ptr<std::int64_t>(),
                                         codes.data_ptr<std::int64_t>() + codes.numel());
    });
}

Result<CellRect> cells_covering(const cv::Rect& pixels, const cv::Size& image, int grid) {
    const auto where = [&] {
        return std::to_string(pixels.x) + "," + std::to_string(pixels.y) + "," + std::to_string(pixels.width) + "," +
               std::to_string(pixels.height);
    };
    if (grid <= 0) return make_error(ErrorCode::InvalidArgument, "the code grid must have cells");
    constexpr int kMaxPixels = 1 << 24;  // far beyond any image; keeps x + width from overflowing
    if (pixels.x < 0 || pixels.y < 0 || pixels.width <= 0 || pixels.height <= 0 || pixels.x > kMaxPixels ||
        pixels.y > kMaxPixels || pixels.width > kMaxPixels || pixels.height > kMaxPixels)
        return make_error(ErrorCode::InvalidArgument, "region " + where() +
                                                          ": x and y must be >= 0, width and height > 0, "
                                                          "each at most " +
                                                          std::to_string(kMaxPixels));
    // The square centre resize_center_crop keeps, in the image's pixels.
    const int side = std::min(image.width, image.height);
    const cv::Rect square((image.width - side) / 2, (image.height - side) / 2, side, side);
    const cv::Rect inside = pixels & square;
    if (side <= 0 || inside.empty())
        return make_error(ErrorCode::InvalidArgument,
                          "region " + where() + " misses the square centre of the " + std::to_string(image.width) +
                              "x" + std::to_string(image.height) + " image (" + std::to_string(square.x) + "," +
                              std::to_string(square.y) + "," + std::to_string(side) + "," + std::to_string(side) +
                              "), the part that is drawn");
    // Integer cell arithmetic (pixel p lies in cell p * grid / side), so no
    // rounding widens a region on a grid that does not divide the side.
    const auto first = [&](int px) { return static_cast<int>(static_cast<std::int64_t>(px) * grid / side); };
    const auto end = [&](int px) { return static_cast<int>((static_cast<std::int64_t>(px) * grid + side - 1) / side); };
    CellRect r;
    r.col = first(inside.x - square.x);
    r.row = first(inside.y - square.y);
    r.cols = end(inside.x + inside.width - square.x) - r.col;
    r.rows = end(inside.y + inside.height - square.y) - r.row;
    return r;
}

Result<std::vector<std::int64_t>> redraw_region(const std::vector<std::int64_t>& codes,
                                                int grid,
                                                const CellRect& region) {
    if (grid <= 0 || codes.size() != static_cast<std::size_t>(grid) * static_cast<std::size_t>(grid))
        return make_error(ErrorCode::InvalidArgument, "a picture of " + std::to_string(codes.size()) + " codes is no " +
                                                          std::to_string(grid) + "x" + std::to_string(grid) +
                                                          " code grid");
    if (region.col < 0 || region.row < 0 || region.cols <= 0 || region.rows <= 0 || region.col + region.cols > grid ||
        region.row + region.rows > grid)
        return make_error(ErrorCode::InvalidArgument,
                          "the region (cells " + std::to_string(region.col) + "," + std::to_string(region.row) + ", " +
                              std::to_string(region.cols) + "x" + std::to_string(region.rows) + ") is not on the " +
                              std::to_string(grid) + "x" + std::to_string(grid) + " code grid");
    std::vector<std::int64_t> kept = codes;
    for (int r = region.row; r < region.row + region.rows; ++r)
        for (int c = region.col; c < region.col + region.cols; ++c)
            kept[static_cast<std::size_t>(r * grid + c)] = kRedrawCode;
    return kept;
}

}  // namespace shenbi
