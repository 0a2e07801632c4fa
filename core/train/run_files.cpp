#include "core/train/run_files.h"

#include <charconv>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/image/image_io.h"
#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "core/text/tokenizer.h"
#include "core/util/atomic_file.h"

namespace shenbi {
namespace fs = std::filesystem;

Status reset_metrics(const fs::path& path, std::int64_t keep_upto) {
    const std::string header = "step,epoch,split,loss,lr,tokens_per_s,elapsed_s\n";
    std::string out = header;
    if (keep_upto > 0) {
        std::ifstream in(path);
        std::string line;
        bool first = true;
        while (std::getline(in, line)) {
            if (first) {
                first = false;
                continue;
            }
            // Rows whose step does not parse (a line cut by a kill) are dropped.
            std::int64_t step = 0;
            const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), step);
            if (ec != std::errc() || end == line.data() + line.size() || *end != ',') continue;
            if (step <= keep_upto) out += line + "\n";
        }
    }
    return write_file_atomic(path, out);
}

MetricsWriter::MetricsWriter(const fs::path& path, std::function<void(const std::string&)> on_error)
    : path_(path), out_(path, std::ios::app), on_error_(std::move(on_error)) {}

void MetricsWriter::row(std::int64_t step,
                        double epoch,
                        const char* split,
                        double loss,
                        double lr,
                        double tps,
                        double elapsed) {
    if (!out_) {
        report_failure();
        return;
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "%lld,%.4f,%s,%.6f,%.6g,%.1f,%.2f\n", static_cast<long long>(step), epoch, split,
                  loss, lr, tps, elapsed);
    out_ << buf;
    out_.flush();
    if (!out_) report_failure();
}

// Once: a full disk would otherwise repeat it at every step. The training
// goes on; its checkpoints report their own write failures.
void MetricsWriter::report_failure() {
    if (reported_) return;
    reported_ = true;
    if (on_error_) on_error_("cannot append to " + path_.string() + "; its later rows are lost");
}

namespace {

// A LoRA run's result: the adapters only, naming their base model. Written
// beside `dir` and swapped in, so that `dir` is never half old, half new.
Status save_adapter_dir(const ModelBundle& model, const fs::path& dir, bool with_entities) {
    const fs::path tmp = dir.string() + ".saving";
    std::error_code ec;
    fs::remove_all(tmp, ec);
    SHENBI_TRY_STATUS(save_lora(model.net->transformer, tmp, model.checksum, model.dir));
    if (with_entities && model.entities) SHENBI_TRY_STATUS(save_entity_files(*model.entities, tmp));
    fs::remove_all(dir, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot replace " + dir.string() + ": " + ec.message());
    fs::rename(tmp, dir, ec);
    if (ec)
        return make_error(ErrorCode::Io, "cannot move " + tmp.string() + " to " + dir.string() + ": " + ec.message());
    return Status::success();
}

}  // namespace

Status save_trained_model(const ModelBundle& model,
                          const fs::path& dir,
                          const TrainOptions& o,
                          std::int64_t steps,
                          std::map<std::string, std::string> extra_metadata) {
    if (o.lora) return save_adapter_dir(model, dir, o.adapter_entities);
    if (!model.tokenizer)
        return make_error(ErrorCode::InvalidArgument, "the model has no tokenizer; cannot write " + dir.string());
    SaveModelOptions save;
    save.metadata = std::move(extra_metadata);
    save.metadata["trained_stage"] = o.stage == TrainStage::Vqgan ? "vqgan" : "gpt";
    save.metadata["trained_steps"] = std::to_string(steps);
    save.metadata["train_table"] = o.train_tsv.string();
    return save_model_dir(model, dir, save);
}

Status write_samples(const SampleEvent& samples) {
    std::error_code ec;
    fs::create_directories(samples.dir, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + samples.dir.string() + ": " + ec.message());
    Status first;  // the first write that failed
    const auto note = [&first](Status written) {
        if (!written && first) first = std::move(written);
    };
    std::string captions;
    for (std::size_t i = 0; i < samples.images.size(); ++i) {
        auto png = encode_png(samples.images[i]);
        if (!png) continue;
        char file[32];
        std::snprintf(file, sizeof file, "%02zu.png", i);
        note(write_file_atomic(samples.dir / file,
                               std::string_view(reinterpret_cast<const char*>(png->data()), png->size())));
        captions += std::string(file) + "\t" + samples.captions[i] + "\n";
    }
    note(write_file_atomic(samples.dir / "captions.tsv", captions));
    return first;
}

}  // namespace shenbi
