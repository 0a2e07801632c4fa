// shenbi-cli train import-folder | train check-folder: a folder of images
// with same-named .txt captions, turned into a training TSV or checked
// before a fine-tune.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/data/train_data.h"
#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"

namespace shenbi::cli {
namespace {

int run_import_folder(const Args& args) {
    const std::string folder = args.get("folder"), out = args.get("out");
    if (folder.empty() || out.empty()) {
        std::cerr << "error: --folder DIR and --out FILE.tsv are required\n";
        return 2;
    }
    auto r = folder_to_tsv(folder, out);
    if (!r) {
        std::cerr << "error: " << r.message() << "\n";
        return 1;
    }
    for (const auto& s : r->skipped) std::cerr << "skipped " << s.file << ": " << s.reason << "\n";
    std::printf("%lld rows written to %s, %zu files skipped\n", static_cast<long long>(r->rows), out.c_str(),
                r->skipped.size());
    return 0;
}

// What a fine-tune folder holds before anything trains: each problem naming
// its file, captions longer than the model reads, the image sizes.
int run_check_folder(const Args& args) {
    const std::string folder = args.get("folder");
    if (folder.empty()) {
        std::cerr << "error: --folder DIR is required\n";
        return 2;
    }
    if (!args.errors().empty()) return 2;
    if (std::error_code ec; !std::filesystem::is_directory(folder, ec)) {  // before loading any model
        std::cerr << "error: --folder " << folder << " is not a directory\n";
        return 2;
    }
    FolderCheckOptions o;
    std::shared_ptr<ModelBundle> model;
    if (auto dir = model_dir_from_args(args); dir) {  // the model's tokenizer, text length and resolution
        auto loaded = load_model_dir(*dir, c10::kCPU);
        if (!loaded) {
            std::cerr << "error: " << loaded.message() << "\n";
            return 1;
        }
        model = *loaded;
        o.tokenizer = model->tokenizer.get();
        o.text_len = model->config.gpt.text_len;
        o.resolution = model->config.vqgan.resolution;
    }
    auto report = check_image_folder(folder, o);
    if (!report) {
        std::cerr << "error: " << report.message() << "\n";
        return 1;
    }
    for (const auto& item : report->items) {
        for (const auto& p : item.problems) std::printf("left out  %s: %s\n", item.image.c_str(), p.c_str());
        for (const auto& w : item.warnings) std::printf("warning   %s: %s\n", item.caption_file.c_str(), w.c_str());
    }
    std::printf("%zu images, %lld usable, %lld left out; sizes %s\n", report->items.size(),
                static_cast<long long>(report->usable()),
                static_cast<long long>(static_cast<std::int64_t>(report->items.size()) - report->usable()),
                report->sizes.empty() ? "none" : report->sizes.c_str());
    return report->usable() > 0 ? 0 : 1;
}

SHENBI_COMMAND("train import-folder",
               "images with same-named .txt captions -> training TSV (idx, text, imgbase64)",
               "shenbi-cli train import-folder --folder DIR --out train.tsv",
               run_import_folder);
SHENBI_COMMAND("train check-folder",
               "check a fine-tune folder (images + same-named .txt captions) before training: every problem by file",
               "shenbi-cli train check-folder --folder DIR [--model DIR]\n"
               "  Names unreadable or truncated images, missing or empty captions, duplicate images, captions\n"
               "  longer than the model's text context, and how the image sizes are resized (the model: --model,\n"
               "  else the bundled one). Exit 1 when no image is usable.",
               run_check_folder);

}  // namespace
}  // namespace shenbi::cli
