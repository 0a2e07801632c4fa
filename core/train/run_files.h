// Internal to core/train: what a training run writes into its run directory
// besides the checkpoints (checkpoint.h): metrics.csv, the model directories
// model/ and best/, and the PNGs of an evaluation's samples. The layout is
// described in trainer.h. Not a public API.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "core/train/trainer.h"
#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

// metrics.csv: kept rows up to `keep_upto` when resuming, header otherwise.
Status reset_metrics(const std::filesystem::path& path, std::int64_t keep_upto);

// Appends rows to metrics.csv (the one file of a run not written
// atomically: a crash costs at most its last row). A failed open or write is
// reported once through `on_error`; the rows after it are not written.
class MetricsWriter {
public:
    MetricsWriter(const std::filesystem::path& path, std::function<void(const std::string&)> on_error);
    void row(std::int64_t step, double epoch, const char* split, double loss, double lr, double tps, double elapsed);

private:
    void report_failure();

    std::filesystem::path path_;
    std::ofstream out_;
    std::function<void(const std::string&)> on_error_;
    bool reported_ = false;
};

// The model directory written at the end and at every validation
// improvement: save_model_dir (weights, config, vocabulary, entity table),
// loadable by load_model_dir and as --init / finetune source of another
// run; for a LoRA run, an adapter directory naming its base model.
Status save_trained_model(const ModelBundle& model,
                          const std::filesystem::path& dir,
                          const TrainOptions& o,
                          std::int64_t steps,
                          std::map<std::string, std::string> extra_metadata = {});

// samples.images as NN.png and captions.tsv (file, caption) in samples.dir,
// which is created. An image that does not encode is left out. Every file
// is attempted; the result is the first write that failed.
Status write_samples(const SampleEvent& samples);

}  // namespace shenbi
