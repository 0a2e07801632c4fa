// Training and validating the judge (core/eval/judge.h) on the corpus's real
// images: crops of every scene object at its true box and of the single
// images of the judge's classes, plus a catch-all class from the other
// emoji. Augmented with box jitter, flips and blur, since generated images
// are blurrier than the renders.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/eval/judge.h"
#include "core/util/result.h"

namespace shenbi {

struct JudgeTrainOptions {
    std::filesystem::path corpus;  // train.tsv, train.gt.jsonl, val.tsv, val.gt.jsonl, eval/classes.json
    std::filesystem::path out;     // judge.pt + classes.txt
    int epochs = 8;
    int batch = 64;
    double learning_rate = 2e-3;
    int max_other =
        1000;  // crops of the catch-all class (3,000: test scenes 0.948, more recoloured objects called 其他)
    std::uint64_t seed = 1;
    std::function<void(const std::string&)> message;
};

struct JudgeTrainReport {
    std::int64_t train_crops = 0;
    std::int64_t val_crops = 0;
    double val_accuracy = 0;  // crops at their true boxes
};

Result<JudgeTrainReport> train_judge(const JudgeTrainOptions& options);

struct JudgeValidation {
    std::string split;
    int crops = 0;
    double crop_accuracy = 0;        // classes at the true boxes (single images: often a style never seen)
    double scene_crop_accuracy = 0;  // ... of the scene objects
    int scenes = 0;
    double scene_accuracy = 0;  // scenes whose every stated fact the judge finds (exact counts)
    int negatives = 0;
    double negative_accuracy = 0;  // scenes with one fact changed (count, colour or relation) that it rejects
    double background_accuracy = 0;
    struct Confusion {
        std::string truth, predicted;
        int count = 0;
    };
    std::vector<Confusion> confusions;  // the commonest scene-object errors, most first
};

// Images in, images out (the same count): e.g. through a VQGAN and back.
using ImageRoundTrip = std::function<Result<std::vector<cv::Mat>>(const std::vector<cv::Mat>&)>;

// The judge on the real rendered scenes of `split` ("val" or "test").
// `through`: the scenes pass through it first (the judge's figures on what
// a model's VQGAN can carry: the ceiling of any GPT drawing its codes).
Result<JudgeValidation> validate_judge(Judge& judge,
                                       const std::filesystem::path& corpus,
                                       const std::string& split,
                                       const std::function<void(const std::string&)>& message = {},
                                       const ImageRoundTrip& through = {});

}  // namespace shenbi
