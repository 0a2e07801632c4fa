// Small synthetic data for the training tests: coloured shapes as PNGs in
// EasyNLP TSVs, captions from the CJK characters that make_random_bundle's
// synthetic vocabulary knows (U+4E00..). The tiny model and the temporary
// directories come from tests/support/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "core/util/base64.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tiny_model.h"

namespace shenbi::test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Row i: a shape whose colour and kind follow i; caption names them.
inline std::string png_base64(int i, int size = 24) {
    cv::Mat img(size, size, CV_8UC4, cv::Scalar(255, 255, 255, 0));
    const cv::Scalar colour((i * 70) % 256, (i * 130 + 60) % 256, (i * 200 + 30) % 256, 255);
    if (i % 2 == 0)
        cv::circle(img, {size / 2, size / 2}, size / 3, colour, -1);
    else
        cv::rectangle(img, {size / 4, size / 4}, {3 * size / 4, 3 * size / 4}, colour, -1);
    std::vector<std::uint8_t> bytes;
    cv::imencode(".png", img, bytes);
    return base64_encode(bytes);
}

inline std::string caption(int i) {
    return cjk(1 + i % 2) + cjk(3 + i % 5) + cjk(10 + i % 3);
}

// Plain rows 0..n-1; `broken` replaces rows by index with a broken line.
inline void write_tsv(const std::filesystem::path& path, int n, int first = 0) {
    std::ofstream out(path);
    for (int i = first; i < first + n; ++i) out << i << "\t" << caption(i) << "\t" << png_base64(i) << "\n";
}

inline double max_abs_diff(torch::nn::Module& a, torch::nn::Module& b) {
    auto pa = a.named_parameters();
    auto pb = b.named_parameters();
    double m = 0;
    for (const auto& item : pa) {
        const auto* other = pb.find(item.key());
        if (!other) return 1e9;
        m = std::max(m, (item.value() - *other).abs().max().item<double>());
    }
    return m;
}

}  // namespace shenbi::test
