// Planning a layout from a Chinese prompt: regional prompting for a raster
// GPT. A prompt that names two or three objects (一只猫和一条狗, 一个苹果在
// 一只熊猫的左边, 左边是猫，右边是狗) is read by rules into noun phrases
// (count, measure word, colour, name) and where each goes; the picture is cut into halves (or thirds) and each part
// gets its own prompt in the form the model learnt single placed objects from (一只猫在左边), which
// GenerationParams::regions then draws. Why: the GPT draws one placed object far more reliably than a pair it never saw
// together (docs/default-model.md, "Planned layouts").
#pragma once

#include <string>
#include <vector>

#include "core/sampling/generate.h"

namespace shenbi {

// One object (or a group of the same object) the prompt names.
struct PromptObject {
    std::string name;     // 猫
    int count = 1;        // 两只猫: 2
    std::string measure;  // 只 (empty when the prompt gives none)
    std::string colour;   // 红色 (empty when none)
    std::string where;    // 左边, 右边, 上面, 下面, 中间 or empty
};

// What the rules read from a prompt; empty objects when they read nothing.
struct PromptReading {
    std::vector<PromptObject> objects;
    std::vector<std::string> dressing;  // clauses about the whole picture: 浅蓝色背景, 扁平风格
};

PromptReading read_prompt(const std::string& prompt);

// The regions to draw `prompt` with on a grid x grid code grid: empty when
// the prompt names one object (however many of it: the model draws those
// whole), more than three, or nothing the rules can read.
std::vector<RegionPrompt> plan_layout(const std::string& prompt, int grid);

// `prompt` without the colours it gives its objects: 一只红色的猫 -> 一只猫,
// 两个浅蓝色苹果 -> 两个苹果; a background's colour stays (浅蓝色背景,
// 背景是黄色). What colour guidance (SamplingParams::colour_guidance) steers
// away from; `prompt` itself when it colours no object.
std::string without_object_colours(const std::string& prompt);

// "cells 0,0 8x16: 一只猫在左边" per region, joined by "; " (logs, tooltips).
std::string describe_layout(const std::vector<RegionPrompt>& regions);

}  // namespace shenbi
