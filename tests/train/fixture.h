// Small synthetic data for the training tests: coloured shapes as PNGs in
// EasyNLP TSVs, captions from the CJK characters that make_random_bundle's
// synthetic vocabulary knows (U+4E00..), a tiny entity table.
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

#include "core/knowledge/entity_table.h"
#include "core/model/model_bundle.h"
#include "core/text/utf8.h"
#include "core/util/base64.h"

namespace shenbi::test {

inline std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("shenbi_train_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// U+4E00 + i as UTF-8.
inline std::string cjk(int i) {
    return utf8_encode(std::u32string(1, static_cast<char32_t>(0x4E00 + i)));
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

inline std::shared_ptr<const EntityTable> tiny_entities(int dim) {
    std::vector<std::string> names{"[pad]", cjk(1) + cjk(3), cjk(2) + cjk(4), cjk(3) + cjk(10)};
    torch::manual_seed(7);
    return std::make_shared<EntityTable>(EntityTable::from_names(names, torch::randn({4, dim})));
}

inline std::shared_ptr<ModelBundle> tiny_bundle(std::uint64_t seed = 1) {
    auto config = ModelConfig::preset("tiny").value();
    config.gpt.fusion = FusionMode::Lattice;
    return make_random_bundle(config, seed, nullptr, tiny_entities(config.gpt.ent_dim));
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
