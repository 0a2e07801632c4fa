#include "core/eval/eval_sets.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace shenbi {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Calls `row(json, where)` for each non-empty line; a parse error names file:line.
Status for_each_json_line(const fs::path& path, const std::function<Status(const json&, const std::string&)>& row) {
    std::ifstream in(path);
    if (!in) return make_error(ErrorCode::NotFound, path.string() + ": cannot open");
    std::string line;
    for (std::int64_t n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        const std::string where = path.string() + ":" + std::to_string(n);
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return make_error(ErrorCode::Corrupt, where + ": not a JSON object");
        Status st = Status::success();
        try {
            st = row(j, where);
        } catch (const json::exception& e) {  // a field of the wrong type (null, a string for a number ...)
            return make_error(ErrorCode::Corrupt, where + ": " + e.what());
        }
        if (!st.ok()) return st;
    }
    return Status::success();
}

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<ObjectFact> object_fact(const json& j, const std::string& where) {
    ObjectFact f;
    f.cls = str(j, "class");
    if (f.cls.empty()) return make_error(ErrorCode::Corrupt, where + ": a fact without \"class\"");
    f.count = j.value("count", 1);
    if (f.count < 1) return make_error(ErrorCode::Corrupt, where + ": \"count\" must be at least 1");
    f.colour = str(j, "color");
    if (auto p = j.find("position"); p != j.end() && p->is_array() && p->size() == 2) {
        f.relation = (*p)[0].get<std::string>();
        f.relative_to = (*p)[1].get<int>();
    }
    return f;
}

}  // namespace

Result<std::unordered_map<std::string, GtRow>> read_gt_rows(const fs::path& path) {
    std::unordered_map<std::string, GtRow> rows;
    auto st = for_each_json_line(path, [&](const json& j, const std::string& where) -> Status {
        GtRow r;
        r.idx = str(j, "idx");
        if (r.idx.empty()) return make_error(ErrorCode::Corrupt, where + ": no \"idx\"");
        r.kind = str(j, "kind");
        r.background = str(j, "background");
        if (auto objs = j.find("objects"); objs != j.end() && objs->is_array()) {
            for (const auto& o : *objs) {
                const auto& b = o.at("bbox");
                if (!b.is_array() || b.size() != 4)
                    return make_error(ErrorCode::Corrupt, where + ": bbox is not [x0, y0, x1, y1]");
                const int x0 = b[0], y0 = b[1], x1 = b[2], y1 = b[3];
                r.objects.push_back({str(o, "class"), cv::Rect(x0, y0, x1 - x0, y1 - y0), str(o, "color")});
            }
        }
        if (auto facts = j.find("facts"); facts != j.end() && facts->is_object() && facts->contains("objects")) {
            for (const auto& f : facts->at("objects")) {
                auto fact = object_fact(f, where);
                if (!fact) return fact.error();
                r.facts.push_back(*fact);
            }
            if (auto rel = facts->find("relation"); rel != facts->end() && rel->is_object()) {
                static const std::unordered_map<std::string, std::string> words{{"左边", "left of"},
                                                                                {"右边", "right of"},
                                                                                {"上面", "above"},
                                                                                {"下面", "below"},
                                                                                {"旁边", "next to"}};
                const int a = rel->value("a", -1), b = rel->value("b", -1);
                auto word = words.find(str(*rel, "rel"));
                if (a < 0 || b < 0 || a >= static_cast<int>(r.facts.size()) || b >= static_cast<int>(r.facts.size()) ||
                    word == words.end())
                    return make_error(ErrorCode::Corrupt, where + ": a relation that names no stated object");
                r.facts[a].relation = word->second;
                r.facts[a].relative_to = b;
            }
        }
        rows[r.idx] = std::move(r);
        return Status::success();
    });
    if (!st.ok()) return st.error();
    return rows;
}

Result<std::vector<EvalPrompt>> read_eval_prompts(const fs::path& path) {
    std::vector<EvalPrompt> prompts;
    auto st = for_each_json_line(path, [&](const json& j, const std::string& where) -> Status {
        EvalPrompt p;
        p.id = str(j, "id");
        p.tag = str(j, "tag");
        p.prompt = str(j, "prompt");
        if (p.prompt.empty()) return make_error(ErrorCode::Corrupt, where + ": no \"prompt\"");
        for (const char* key : {"include", "exclude"}) {
            auto it = j.find(key);
            if (it == j.end()) continue;
            for (const auto& f : *it) {
                auto fact = object_fact(f, where);
                if (!fact) return fact.error();
                (std::string(key) == "include" ? p.include : p.exclude).push_back(*fact);
            }
        }
        // An alias's target counts only as a judge class (null when the
        // judge does not know it); a held-out concept is named.
        if (auto t = j.find("target"); t != j.end() && t->is_object())
            p.target = p.tag == "heldout_concept" ? str(*t, "name") : str(*t, "class");
        prompts.push_back(std::move(p));
        return Status::success();
    });
    if (!st.ok()) return st.error();
    return prompts;
}

Result<std::vector<JudgeClassInfo>> read_judge_classes(const fs::path& classes_json) {
    std::ifstream in(classes_json);
    if (!in) return make_error(ErrorCode::NotFound, classes_json.string() + ": cannot open");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return make_error(ErrorCode::Corrupt, classes_json.string() + ": not a JSON array");
    std::vector<JudgeClassInfo> classes;
    for (const auto& c : j) {
        if (!c.is_object())
            return make_error(ErrorCode::Corrupt, classes_json.string() + ": an entry that is not an object");
        auto colourable = c.find("colourable");
        JudgeClassInfo info{str(c, "class"),
                            colourable != c.end() && colourable->is_boolean() && colourable->get<bool>()};
        if (info.name.empty())
            return make_error(ErrorCode::Corrupt, classes_json.string() + ": an entry without \"class\"");
        classes.push_back(std::move(info));
    }
    return classes;
}

}  // namespace shenbi
