// What the corpus (data/corpus) says about its images and what the
// evaluation prompts ask for: `*.gt.jsonl` (one JSON object per TSV row)
// and `eval/*.jsonl` (GenEval-shaped facts, alias and held-out-concept
// prompts). Only the fields the judge uses are read.
#pragma once

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include <opencv2/core.hpp>

#include "core/util/result.h"

namespace shenbi {

struct GtObject {
    std::string cls;     // a judge class ("猫") or another concept name
    cv::Rect box;        // pixels, from the [x0, y0, x1, y1] bbox
    std::string colour;  // a stated recolour ("红色"), else empty
};

// One stated fact about a class, GenEval's convention: in `include`, at least
// `count` objects of `cls` (with `colour`, and `relation` to include[`relative_to`]
// when set); in `exclude`, fewer than `count`.
struct ObjectFact {
    std::string cls;
    int count = 1;
    std::string colour;    // empty: any
    std::string relation;  // "left of", "right of", "above", "below", "next to"; empty: none
    int relative_to = -1;
};

struct EvalPrompt {
    std::string id;
    std::string tag;  // single_object, two_object, counting, colors, position, color_attr, alias, heldout_concept
    std::string prompt;
    std::vector<ObjectFact> include, exclude;
    std::string target;  // alias / held-out concept prompts: the concept's name (a judge class when in its vocabulary)
};

struct GtRow {
    std::string idx;
    std::string kind;        // "scene", "single", ...
    std::string background;  // "白色", "浅蓝色", ...
    std::vector<GtObject> objects;
    // What the caption states (scene rows): the "facts" objects with their
    // counts and colours, and the relation as include[a].relation to b.
    std::vector<ObjectFact> facts;
};

// idx -> row. A line that is not a JSON object with "idx" is an error naming
// file:line.
Result<std::unordered_map<std::string, GtRow>> read_gt_rows(const std::filesystem::path& path);

Result<std::vector<EvalPrompt>> read_eval_prompts(const std::filesystem::path& path);

struct JudgeClassInfo {
    std::string name;
    bool colourable = false;  // the corpus recolours it, so its hue says nothing
};

// The judge's classes, in classes.json order.
Result<std::vector<JudgeClassInfo>> read_judge_classes(const std::filesystem::path& classes_json);

}  // namespace shenbi
