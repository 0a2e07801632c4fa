// Images of an EasyNLP TSV for evaluation: training rows (idx, text, imgbase64
// or the 7-column knowledge layout) or predict output (idx, text,
// gen_imgbase64 as a Python list literal of base64 strings).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/util/result.h"

namespace shenbi {

struct TsvImages {
    std::vector<cv::Mat> images;     // 8-bit RGB
    std::vector<std::string> texts;  // the caption of each image
    std::vector<std::string> ids;    // the idx column of each image's row
};

// Reads up to `max_images` images (0 = all). Any row that cannot be read is
// an error naming file:line and why: a figure over a silently shrunk set
// would not mean what it says.
Result<TsvImages> read_tsv_images(const std::filesystem::path& path, std::size_t max_images = 0);

}  // namespace shenbi
