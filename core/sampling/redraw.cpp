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
    if (pixels.width <= 0 || pixels.height <= 0)
        return make_error(ErrorCode::InvalidArgument, "region " + where() + ": width and height must be positive");
    // The square centre resize_center_crop keeps, in the image's pixels.
    const int side = std::min(image.width, image.height);
    const cv::Rect square((image.width - side) / 2, (image.height - side) / 2, side, side);
    const cv::Rect inside = pixels & square;
    if (inside.empty())
        return make_error(ErrorCode::InvalidArgument,
                          "region " + where() + " misses the square centre of the " + std::to_string(image.width) +
                              "x" + std::to_string(image.height) + " image (" + std::to_string(square.x) + "," +
                              std::to_string(square.y) + "," + std::to_string(side) + "," + std::to_string(side) +
                              "), the part that is drawn");
    const double cell = static_cast<double>(side) / grid;
    const auto first = [&](int px) { return std::clamp(static_cast<int>(std::floor(px / cell)), 0, grid - 1); };
    const auto end = [&](int px) { return std::clamp(static_cast<int>(std::ceil(px / cell)), 1, grid); };
    CellRect r;
    r.col = first(inside.x - square.x);
    r.row = first(inside.y - square.y);
    r.cols = std::max(1, end(inside.x + inside.width - square.x) - r.col);
    r.rows = std::max(1, end(inside.y + inside.height - square.y) - r.row);
    return r;
}

std::vector<std::int64_t> redraw_region(const std::vector<std::int64_t>& codes, int grid, const CellRect& region) {
    std::vector<std::int64_t> kept = codes;
    for (int r = region.row; r < region.row + region.rows; ++r)
        for (int c = region.col; c < region.col + region.cols; ++c)
            kept[static_cast<std::size_t>(r * grid + c)] = kRedrawCode;
    return kept;
}

}  // namespace shenbi
