// Redrawing part of a picture: inpainting on the VQGAN's code grid. The
// picture's codes are kept outside a rectangle of cells and the GPT draws the
// cells inside it (GenerationParams::kept_codes). The picture can be one the
// model drew (its Candidate::codes) or any image, encoded by the VQGAN.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "core/sampling/generate.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

// In GenerationParams::kept_codes: the model draws this cell.
inline constexpr std::int64_t kRedrawCode = -1;

// The image's codes, as training saw its images: shortest side to the VQGAN's
// resolution, centre crop, encoded; img_len codes in raster order.
Result<std::vector<std::int64_t>> encode_image_codes(const ModelBundle& model, const cv::Mat& rgb);

// The cells a pixel rectangle of an image covers once the image is cropped to
// its square centre (as encode_image_codes crops it), snapped outward to whole
// cells. An error names the rectangle when it misses that square.
Result<CellRect> cells_covering(const cv::Rect& pixels, const cv::Size& image, int grid);

// `codes` (grid x grid, raster order) with the cells of `region` set to
// kRedrawCode: what GenerationParams::kept_codes takes. An error when the
// codes are no grid x grid picture or the region is not on the grid.
Result<std::vector<std::int64_t>> redraw_region(const std::vector<std::int64_t>& codes,
                                                int grid,
                                                const CellRect& region);

}  // namespace shenbi
