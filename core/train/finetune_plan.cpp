#include "core/train/finetune_plan.h"

#include <charconv>
#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

#include "core/data/train_data.h"
#include "core/io/lora_dir.h"
#include "core/model/lora.h"
#include "core/train/mixed_precision.h"
#include "core/util/atomic_file.h"
#include "core/util/runtime.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

// The shortest text that reads back as the same double.
std::string number(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string join(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : std::string(1, sep)) + s;
    return out;
}

bool is_model_dir(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "model.json", ec) || fs::exists(dir / "adapter.json", ec) ||
           fs::exists(dir / "pytorch_model.bin", ec);
}

void check_data(const FinetunePlan& p, std::vector<std::string>& errors) {
    std::error_code ec;
    if (p.folder.empty() == p.train_tsv.empty()) {
        errors.push_back(p.folder.empty() ? "--folder or --tables: choose the training images"
                                          : "--folder and --tables: give one of them, not both");
    }
    if (!p.folder.empty() && !fs::is_directory(p.folder, ec))
        errors.push_back("--folder " + p.folder.string() + ": not a folder");
    if (!p.train_tsv.empty() && !fs::is_regular_file(p.train_tsv, ec))
        errors.push_back("--tables " + p.train_tsv.string() + ": no such file");
    if (!p.val_tsv.empty() && !fs::is_regular_file(p.val_tsv, ec))
        errors.push_back("--tables " + p.val_tsv.string() + " (validation): no such file");
    if (!std::isfinite(p.val_fraction) || p.val_fraction < 0 || p.val_fraction > 0.5)
        errors.push_back("--val_fraction " + number(p.val_fraction) + ": must be between 0 and 0.5");
    if (!p.triples.empty() && !fs::is_regular_file(p.triples, ec))
        errors.push_back("--triples " + p.triples.string() + ": no such file");
}

void check_method(const FinetunePlan& p, std::vector<std::string>& errors) {
    if (p.lora_rank < 0 || p.lora_rank > 256)
        errors.push_back("--lora_rank " + std::to_string(p.lora_rank) + ": must be 0 (full fine-tune) to 256");
    if (p.lora_rank > 0) {
        LoraConfig lora;
        lora.rank = p.lora_rank;
        lora.alpha = p.lora_alpha > 0 ? p.lora_alpha : 2.0 * p.lora_rank;
        if (!p.lora_targets.empty()) lora.targets = p.lora_targets;
        if (auto st = lora.validate(); !st) errors.push_back(st.message());
    }
    if (!std::isfinite(p.lora_alpha) || p.lora_alpha < 0)
        errors.push_back("--lora_alpha " + number(p.lora_alpha) + ": must be positive (0: 2 x rank)");
    if (!std::isfinite(p.learning_rate) || p.learning_rate <= 0 || p.learning_rate > 1)
        errors.push_back("--learning_rate " + number(p.learning_rate) + ": must be above 0 and at most 1");
    if (!std::isfinite(p.warmup_fraction) || p.warmup_fraction < 0 || p.warmup_fraction >= 1)
        errors.push_back("--warmup_proportion " + number(p.warmup_fraction) + ": must be at least 0 and below 1");
}

void check_schedule(const FinetunePlan& p, std::vector<std::string>& errors) {
    if (p.max_steps < 0 || p.max_steps > 10'000'000)
        errors.push_back("--max_steps " + std::to_string(p.max_steps) + ": must be 1 to 10000000 (0: use epochs)");
    if (p.max_steps == 0 && (p.epochs < 1 || p.epochs > 10000))
        errors.push_back("--epoch_num " + std::to_string(p.epochs) + ": must be 1 to 10000");
    if (p.micro_batch < 1 || p.micro_batch > 1024)
        errors.push_back("--micro_batch_size " + std::to_string(p.micro_batch) + ": must be 1 to 1024");
    if (p.eval_every < 0) errors.push_back("--eval_steps " + std::to_string(p.eval_every) + ": must be 0 or more");
    if (p.save_every < 0)
        errors.push_back("--save_checkpoint_steps " + std::to_string(p.save_every) + ": must be 0 or more");
    if (p.early_stop_patience < 0)
        errors.push_back("--early_stop_patience " + std::to_string(p.early_stop_patience) + ": must be 0 or more");
    const bool has_val = (!p.folder.empty() && p.val_fraction > 0) || !p.val_tsv.empty();
    if (p.early_stop_patience > 0 && (p.eval_every == 0 || !has_val))
        errors.push_back("--early_stop_patience needs validation data and --eval_steps above 0");
    for (std::size_t i = 0; i < p.prompts.size(); ++i)
        if (p.prompts[i].empty() || p.prompts[i].find('|') != std::string::npos)
            errors.push_back("--prompts: prompt " + std::to_string(i + 1) + " is empty or holds '|'");
    static const std::regex device(R"(auto|cpu|cuda(:[0-9]+)?)");
    if (!std::regex_match(p.device, device))
        errors.push_back("--device " + p.device + ": must be auto, cpu, cuda or cuda:N");
    if (p.threads < 0 || p.threads > 256)
        errors.push_back("--threads " + std::to_string(p.threads) + ": must be 0 (automatic) to 256");
    if (auto mixed = mixed_precision_from_string(p.mixed_precision); !mixed) {
        errors.push_back("--mixed_precision " + p.mixed_precision + ": must be off or bf16");
    } else if (auto dev = parse_device(p.device); dev) {  // a bad or missing device is named by the trainer
        if (auto st = check_mixed_precision(*mixed, *dev); !st) errors.push_back(st.message());
    }
}

}  // namespace

std::vector<std::string> validate_plan(const FinetunePlan& p) {
    std::vector<std::string> errors;
    if (p.base_model.empty())
        errors.push_back("--model: choose the model to fine-tune");
    else if (!is_model_dir(p.base_model))
        errors.push_back("--model " + p.base_model.string() + ": not a model folder (no model.json)");
    else if (p.lora() && is_lora_dir(p.base_model))
        errors.push_back("--model " + p.base_model.string() +
                         " is a LoRA adapter: train new adapters on its base model, or fine-tune fully (which merges "
                         "the adapter first)");
    if (p.run_dir.empty()) errors.push_back("--checkpoint_dir: choose where the run is kept");
    auto data = validate_plan_data(p);
    errors.insert(errors.end(), data.begin(), data.end());
    check_method(p, errors);
    check_schedule(p, errors);
    return errors;
}

std::vector<std::string> validate_plan_data(const FinetunePlan& p) {
    std::vector<std::string> errors;
    check_data(p, errors);
    return errors;
}

std::vector<std::string> finetune_arguments(const FinetunePlan& p) {
    std::vector<std::string> a{"finetune", "--model", p.base_model.string()};
    if (!p.folder.empty()) {
        a.insert(a.end(), {"--folder", p.folder.string(), "--val_fraction", number(p.val_fraction)});
    } else {
        a.insert(a.end(), {"--tables", p.train_tsv.string() + (p.val_tsv.empty() ? "" : "," + p.val_tsv.string())});
    }
    if (!p.triples.empty()) a.insert(a.end(), {"--triples", p.triples.string()});
    a.insert(a.end(), {"--checkpoint_dir", p.run_dir.string()});
    if (p.lora()) {
        a.insert(a.end(), {"--lora_rank", std::to_string(p.lora_rank)});
        if (p.lora_alpha > 0) a.insert(a.end(), {"--lora_alpha", number(p.lora_alpha)});
        if (!p.lora_targets.empty()) a.insert(a.end(), {"--lora_targets", join(p.lora_targets, ',')});
    }
    a.insert(a.end(), {"--learning_rate", number(p.learning_rate), "--warmup_proportion", number(p.warmup_fraction)});
    if (p.max_steps > 0)
        a.insert(a.end(), {"--max_steps", std::to_string(p.max_steps)});
    else
        a.insert(a.end(), {"--epoch_num", std::to_string(p.epochs)});
    a.insert(a.end(), {"--micro_batch_size", std::to_string(p.micro_batch), "--eval_steps",
                       std::to_string(p.eval_every), "--save_checkpoint_steps", std::to_string(p.save_every)});
    if (p.early_stop_patience > 0) a.insert(a.end(), {"--early_stop_patience", std::to_string(p.early_stop_patience)});
    if (!p.prompts.empty()) a.insert(a.end(), {"--prompts", join(p.prompts, '|')});
    a.insert(a.end(), {"--random_seed", std::to_string(p.seed), "--device", p.device});
    if (p.threads > 0) a.insert(a.end(), {"--threads", std::to_string(p.threads)});
    if (p.mixed_precision != "off") a.insert(a.end(), {"--mixed_precision", p.mixed_precision});
    return a;
}

std::string shell_command(const std::string& program, const std::vector<std::string>& arguments) {
    static const std::regex plain(R"([A-Za-z0-9_@%+=:,./-]+)");
    std::string out = program;
    for (const auto& arg : arguments) {
        out += ' ';
        if (std::regex_match(arg, plain)) {
            out += arg;
            continue;
        }
        out += '\'';  // single quotes keep everything literal; a quote itself is closed, escaped, reopened
        for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += '\'';
    }
    return out;
}

fs::path plan_path(const fs::path& run_dir) {
    return run_dir / "finetune.json";
}

Status save_plan(const FinetunePlan& p, const fs::path& file) {
    const nlohmann::ordered_json j = {{"format", "shenbi-finetune"},
                                      {"format_version", 1},
                                      {"base_model", p.base_model.string()},
                                      {"folder", p.folder.string()},
                                      {"train_tsv", p.train_tsv.string()},
                                      {"val_tsv", p.val_tsv.string()},
                                      {"val_fraction", p.val_fraction},
                                      {"triples", p.triples.string()},
                                      {"run_dir", p.run_dir.string()},
                                      {"lora_rank", p.lora_rank},
                                      {"lora_alpha", p.lora_alpha},
                                      {"lora_targets", p.lora_targets},
                                      {"learning_rate", p.learning_rate},
                                      {"warmup_fraction", p.warmup_fraction},
                                      {"epochs", p.epochs},
                                      {"max_steps", p.max_steps},
                                      {"micro_batch", p.micro_batch},
                                      {"eval_every", p.eval_every},
                                      {"save_every", p.save_every},
                                      {"early_stop_patience", p.early_stop_patience},
                                      {"prompts", p.prompts},
                                      {"seed", p.seed},
                                      {"device", p.device},
                                      {"threads", p.threads},
                                      {"mixed_precision", p.mixed_precision}};
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + file.parent_path().string() + ": " + ec.message());
    return write_file_atomic(file, j.dump(2) + "\n");
}

Result<FinetunePlan> load_plan(const fs::path& file) {
    auto text = read_file(file);
    if (!text) return text.error();
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    const auto format = j.is_object() ? j.find("format") : j.end();
    if (j.is_discarded() || !j.is_object() || format == j.end() || !format->is_string() ||
        format->get<std::string>() != "shenbi-finetune")
        return make_error(ErrorCode::Corrupt, file.string() + ": not a Shenbi fine-tune plan");
    FinetunePlan p;
    try {
        p.base_model = j.at("base_model").get<std::string>();
        p.folder = j.value("folder", "");
        p.train_tsv = j.value("train_tsv", "");
        p.val_tsv = j.value("val_tsv", "");
        p.val_fraction = j.value("val_fraction", p.val_fraction);
        p.triples = j.value("triples", "");
        p.run_dir = j.at("run_dir").get<std::string>();
        p.lora_rank = j.value("lora_rank", 0);
        p.lora_alpha = j.value("lora_alpha", 0.0);
        p.lora_targets = j.value("lora_targets", std::vector<std::string>{});
        p.learning_rate = j.value("learning_rate", p.learning_rate);
        p.warmup_fraction = j.value("warmup_fraction", p.warmup_fraction);
        p.epochs = j.value("epochs", p.epochs);
        p.max_steps = j.value("max_steps", p.max_steps);
        p.micro_batch = j.value("micro_batch", p.micro_batch);
        p.eval_every = j.value("eval_every", p.eval_every);
        p.save_every = j.value("save_every", p.save_every);
        p.early_stop_patience = j.value("early_stop_patience", p.early_stop_patience);
        p.prompts = j.value("prompts", std::vector<std::string>{});
        p.seed = j.value("seed", p.seed);
        p.device = j.value("device", p.device);
        p.threads = j.value("threads", p.threads);
        p.mixed_precision = j.value("mixed_precision", p.mixed_precision);  // absent before session 10: off
    } catch (const nlohmann::json::exception& e) {                          // a wrong type in one field
        return make_error(ErrorCode::Corrupt, file.string() + ": " + e.what());
    }
    return p;
}

Result<FolderTables> split_folder_tables(const fs::path& folder,
                                         double val_fraction,
                                         std::uint64_t seed,
                                         const fs::path& run_dir) {
    const fs::path data = run_dir / "data";
    std::error_code ec;
    fs::create_directories(data, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + data.string() + ": " + ec.message());
    FolderTables t;
    t.train = data / "train.tsv";
    const fs::path val = data / "val.tsv";
    auto conv = folder_to_tsvs(folder, t.train, val_fraction > 0 ? val : fs::path(), val_fraction, seed);
    if (!conv) return conv.error();
    t.train_rows = conv->rows;
    t.val_rows = conv->val_rows;
    if (t.val_rows > 0) t.val = val;
    for (const auto& s : conv->skipped) t.left_out.push_back(s.file + ": " + s.reason);
    if (t.train_rows == 0)
        return make_error(ErrorCode::InvalidArgument, folder.string() + ": no usable image with a caption");
    return t;
}

}  // namespace shenbi
