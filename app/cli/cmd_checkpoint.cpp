// Checkpoint commands: inspect (keys, dtypes, shapes of a PyTorch file or a
// model directory), import-easynlp (EasyNLP ARTIST directory -> Shenbi
// model directory), model new (a preset with a real vocabulary, entity
// table and trained VQGAN, ready for `train gpt`) and model grow (a deeper
// copy that computes what its source did) and model average (a model soup).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/io/easynlp_import.h"
#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/io/new_model.h"
#include "core/knowledge/alias_fold.h"
#include "core/knowledge/entity_table.h"
#include "core/knowledge/knowledge_graph.h"
#include "core/text/tokenizer.h"
#include "core/text/utf8.h"

namespace shenbi::cli {
namespace {

namespace fs = std::filesystem;

int run_inspect(const Args& a) {
    if (a.positional().size() != 1)
        return fail("inspect", "expected one FILE (a .pt/.bin checkpoint or a model directory)");
    fs::path path = a.positional()[0];
    std::error_code ec;
    // A model directory: its weights file.
    if (fs::is_directory(path, ec)) {
        if (fs::exists(path / "weights.bin", ec))
            path /= "weights.bin";
        else if (fs::exists(path / "pytorch_model.bin", ec))
            path /= "pytorch_model.bin";
        else
            return fail("inspect", path.string() + ": no weights.bin or pytorch_model.bin in this directory");
    }
    auto sd = read_state_dict(path);
    if (!sd) return fail("inspect", sd.message());
    std::size_t width = 0;
    for (const auto& [k, t] : *sd) width = std::max(width, k.size());
    std::int64_t total = 0, bytes = 0;
    for (const auto& [k, t] : *sd) {
        std::printf("%-*s  %-9s %s\n", static_cast<int>(width), k.c_str(),
                    std::string(c10::toString(t.scalar_type())).c_str(), shape_string(t.sizes()).c_str());
        total += t.numel();
        bytes += t.numel() * static_cast<std::int64_t>(t.element_size());
    }
    std::printf("%zu tensors, %lld parameters (%.1fM), %.1f MB as stored dtypes\n", sd->size(),
                static_cast<long long>(total), static_cast<double>(total) / 1e6, static_cast<double>(bytes) / 1e6);
    return 0;
}

int run_import(const Args& a) {
    const std::string model_dir = a.get("model_dir"), out = a.get("out");
    EasyNlpImportOptions options;
    options.entity2vec = a.get("entity2vec");
    options.entity2id = a.get("entity2id");
    if (model_dir.empty() || out.empty()) return fail("import-easynlp", "--model_dir and --out are required");
    auto bundle = import_easynlp(model_dir, c10::kCPU, options);
    if (!bundle) return fail("import-easynlp", bundle.message());
    const auto& b = **bundle;
    SaveModelOptions save;
    save.metadata["imported_from"] = fs::absolute(model_dir).string();
    save.metadata["source_checksum"] = b.checksum;
    // Damaged source files are refused on reading (the zip CRCs); reading the
    // stored copy back catches what goes wrong on the way out.
    save.verify = true;
    auto st = save_model_dir(b, out, save);
    if (!st) return fail("import-easynlp", st.message());
    std::printf("imported %s: %d layers x %d wide, fusion %s, %s entities -> %s\n", model_dir.c_str(),
                b.config.gpt.n_layer, b.config.gpt.n_embd, to_string(b.config.gpt.fusion).c_str(),
                b.entities ? std::to_string(b.entities->size()).c_str() : "no", out.c_str());
    return 0;
}

int run_model_new(const Args& a) {
    NewModelOptions o;
    o.preset = a.get("preset", "small");
    o.name = a.get("name");
    o.vocab = a.get("vocab");
    o.entity_dir = a.get("entities");
    o.first_stage_from = a.get("vqgan_from");
    o.seed = a.get_u64("seed", 0);
    const std::string out = a.get("out");
    if (a.has("fusion")) {
        auto fusion = fusion_mode_from_string(a.get("fusion"));
        if (!fusion) return fail("model new", fusion.message());
        o.fusion = *fusion;
    }
    if (!a.errors().empty()) return 2;
    if (out.empty()) return fail("model new", "--out DIR is required");
    auto bundle = new_model(o);
    if (!bundle) return fail("model new", bundle.message());
    const auto& b = **bundle;
    SaveModelOptions save;
    save.metadata["created_from_preset"] = o.preset;
    if (!o.first_stage_from.empty()) save.metadata["vqgan_from"] = o.first_stage_from.string();
    auto st = save_model_dir(b, out, save);
    if (!st) return fail("model new", st.message());
    std::printf(
        "%s: GPT %d x %d, %d text tokens (vocabulary %d), %d image tokens (codebook %d), fusion %s, %s entities, "
        "VQGAN %s -> %s\n",
        b.config.name.c_str(), b.config.gpt.n_layer, b.config.gpt.n_embd, b.config.gpt.text_len,
        b.config.gpt.text_vocab, b.config.gpt.img_len, b.config.gpt.img_vocab, to_string(b.config.gpt.fusion).c_str(),
        b.entities ? std::to_string(b.entities->size()).c_str() : "no",
        o.first_stage_from.empty() ? "random" : ("from " + o.first_stage_from.string()).c_str(), out.c_str());
    return 0;
}

int run_model_grow(const Args& a) {
    const std::string model = a.get("model"), out = a.get("out");
    const int n_layer = static_cast<int>(a.get_int("n_layer", 0, 1, 1024));
    if (!a.errors().empty()) return 2;
    if (model.empty() || out.empty() || n_layer == 0)
        return fail("model grow", "--model DIR, --n_layer N and --out DIR are required");
    auto source = load_model_dir(model, c10::kCPU);
    if (!source) return fail("model grow", source.message());
    auto grown = grow_depth(**source, n_layer);
    if (!grown) return fail("model grow", model + ": " + grown.message());
    SaveModelOptions save;
    save.metadata["grown_from"] = fs::absolute(model).string();
    save.metadata["grown_from_checksum"] = (*source)->checksum;
    auto st = save_model_dir(**grown, out, save);
    if (!st) return fail("model grow", st.message());
    std::printf("%s: GPT %d -> %d layers x %d (new blocks start as identities) -> %s\n", model.c_str(),
                (*source)->config.gpt.n_layer, n_layer, (*grown)->config.gpt.n_embd, out.c_str());
    return 0;
}

int run_model_average(const Args& a) {
    const auto dirs = a.get_list("models");
    const std::string out = a.get("out");
    if (!a.errors().empty()) return 2;
    if (dirs.size() < 2 || out.empty())
        return fail("model average", "--models DIR,DIR[,DIR...] (two or more) and --out DIR are required");
    std::vector<std::shared_ptr<ModelBundle>> loaded;
    std::vector<const ModelBundle*> models;
    for (const auto& dir : dirs) {
        auto model = load_model_dir(dir, c10::kCPU);
        if (!model) return fail("model average", model.message());
        loaded.push_back(*model);
        models.push_back(loaded.back().get());
    }
    auto mean = average_models(models);
    if (!mean) return fail("model average", mean.message());
    SaveModelOptions save;
    for (const auto& model : loaded) {
        const std::string sep = save.metadata.count("averaged_from") ? "," : "";
        save.metadata["averaged_from"] += sep + fs::absolute(model->dir).string();
        save.metadata["averaged_from_checksums"] += sep + model->checksum;
    }
    auto st = save_model_dir(**mean, out, save);
    if (!st) return fail("model average", st.message());
    std::printf("the mean of %zu models' weights (GPT %d x %d) -> %s\n", models.size(), (*mean)->config.gpt.n_layer,
                (*mean)->config.gpt.n_embd, out.c_str());
    return 0;
}

// Example prompts for the model card: one per line, blank lines and '#'
// comments skipped; each must be valid UTF-8 and at most 200 bytes.
Result<std::vector<std::string>> read_example_prompts(const std::string& path) {
    std::ifstream in(path);
    if (!in) return make_error(ErrorCode::NotFound, "--examples: cannot read " + path);
    std::vector<std::string> out;
    std::string line;
    for (int row = 1; std::getline(in, line); ++row) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (utf8_encode(utf8_decode(line)) != line || line.size() > 200)
            return make_error(ErrorCode::InvalidArgument, "--examples: " + path + " line " + std::to_string(row) +
                                                              " is not a prompt (invalid UTF-8 or over 200 bytes)");
        out.push_back(line);
    }
    if (out.empty()) return make_error(ErrorCode::InvalidArgument, "--examples: " + path + " holds no prompt");
    return out;
}

// The recommended sampling to write: the source model's, with the flags given
// over it. Each flag is range-checked as generate's (errors in a.errors()).
RecommendedSampling sampling_from_flags(const Args& a, RecommendedSampling r) {
    r.top_k = static_cast<int>(a.get_int("top_k", r.top_k, 0, std::numeric_limits<int>::max()));
    r.top_p = a.get_double("top_p", r.top_p, Bounds::left_open(0, 1));
    r.temperature = a.get_double("temperature", r.temperature, Bounds::above(0));
    r.guidance = a.get_double("guidance", r.guidance, Bounds::closed(kGuidanceMin, kGuidanceMax));
    r.best_of = static_cast<int>(a.get_int("best_of", r.best_of, 1, kBestOfMax));
    r.layout = a.get_on_off("layout", r.layout);
    r.layout_guidance = guidance_or_zero_from_args(a, "layout_guidance", r.layout_guidance);
    r.colour_guidance = guidance_or_zero_from_args(a, "colour_guidance", r.colour_guidance);
    return r;
}

// --fold_aliases TABLES: checked before the model loads (the tables and the
// graph exist), applied after (core/knowledge/alias_fold.h). The note goes
// into model.json's metadata.
struct AliasFoldFlags {
    std::vector<fs::path> tables;
    fs::path graph;
    std::string relation;
};

std::optional<AliasFoldFlags> alias_fold_flags(const Args& a) {
    AliasFoldFlags f;
    for (const auto& t : a.get_list("fold_aliases")) f.tables.emplace_back(t);
    if (f.tables.empty()) {
        if (a.has("fold_aliases") || a.has("graph") || a.has("alias_relation"))
            a.error(
                "--fold_aliases TRAIN.tsv[,MORE.tsv]: the model's training tables are required with --graph "
                "and --alias_relation");
        return std::nullopt;
    }
    f.relation = a.get("alias_relation", "别名");
    f.graph = a.has("graph") ? fs::path(a.get("graph")) : default_graph_dir();
    std::error_code ec;
    for (const auto& t : f.tables)
        if (!fs::is_regular_file(t, ec)) a.error("--fold_aliases: " + t.string() + " is not a file");
    if (!fs::is_regular_file(f.graph / "triples.tsv", ec))
        a.error("--graph: " + (f.graph / "triples.tsv").string() + " is not a file");
    return f;
}

// The model's unseen aliases take their entities' vectors; how many did.
Result<std::size_t> fold_model_aliases(ModelBundle& b, const AliasFoldFlags& f) {
    if (!b.entities) return make_error(ErrorCode::InvalidArgument, "--fold_aliases: the model has no entity table");
    auto graph = KnowledgeGraph::load(f.graph / "triples.tsv");
    if (!graph) return graph.error();
    auto hits = count_caption_entities(*b.entities, *b.tokenizer, b.config.gpt.single_char_entities, f.tables);
    if (!hits) return hits.error();
    if (hits->bad_rows > 0)
        std::fprintf(stderr, "note: %lld of %lld rows skipped, as training skips them\n",
                     static_cast<long long>(hits->bad_rows), static_cast<long long>(hits->rows));
    auto folds = plan_alias_folds(*b.entities, *graph, f.relation, hits->hits);
    if (!folds) return make_error(folds.error().code, (f.graph / "triples.tsv").string() + ": " + folds.message());
    b.entities = std::make_shared<const EntityTable>(fold_aliases(*b.entities, *folds));
    return folds->size();
}

// A model directory copied for shipping or sharing: optionally in half
// precision, renamed, with notes; e.g. a run's best/ into resources/models/default.
int run_model_export(const Args& a) {
    (void)sampling_from_flags(a, {});  // before the model loads; again below over the model's own
    const auto fold = alias_fold_flags(a);
    if (!a.errors().empty()) return 2;  // main() prints them
    const std::string from = a.get("model"), out = a.get("out"), dtype = a.get("dtype", "fp32");
    if (from.empty() || out.empty()) return fail("model export", "--model DIR and --out DIR are required");
    SaveModelOptions save;
    if (dtype == "fp16")
        save.weights_dtype = c10::kHalf;
    else if (dtype == "bf16")
        save.weights_dtype = c10::kBFloat16;
    else if (dtype != "fp32")
        return fail("model export", "--dtype must be fp32, fp16 or bf16, not '" + dtype + "'");
    std::vector<std::string> examples;
    if (a.has("examples")) {
        auto lines = read_example_prompts(a.get("examples"));
        if (!lines) return fail("model export", lines.message());
        examples = std::move(*lines);
    }
    auto loaded = load_model_dir(from, c10::kCPU);
    if (!loaded) return fail("model export", loaded.message());
    auto& b = **loaded;
    if (a.has("name")) b.config.name = a.get("name");
    if (a.has("description")) b.config.card.description = a.get("description");
    if (a.has("examples")) b.config.card.examples = std::move(examples);
    if (a.has("top_k") || a.has("top_p") || a.has("temperature") || a.has("guidance") || a.has("best_of") ||
        a.has("layout") || a.has("layout_guidance") || a.has("colour_guidance")) {
        const RecommendedSampling r = sampling_from_flags(a, b.config.sampling.value_or(RecommendedSampling{}));
        if (auto st = r.validate(); !st) return fail("model export", st.message());  // the model's own values
        b.config.sampling = r;
    }
    // Keep what the source recorded (training steps, best validation loss);
    // paths under the working directory become relative, so that a shipped
    // model does not carry this machine's layout.
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    auto portable = [&](const std::string& v) {
        const fs::path p(v);
        if (!p.is_absolute() || ec) return v;
        const auto rel = p.lexically_normal().lexically_relative(cwd);
        return rel.empty() || *rel.begin() == ".." ? v : rel.string();
    };
    std::ifstream in(fs::path(from) / "model.json");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_discarded() && j.contains("metadata") && j["metadata"].is_object())
        for (const auto& [k, v] : j["metadata"].items())
            if (v.is_string()) save.metadata[k] = portable(v.get<std::string>());
    save.metadata["exported_from"] = portable(fs::absolute(from).lexically_normal().string());
    save.metadata["weights_dtype"] = dtype;
    save.metadata.erase("description");  // now in the model card
    if (fold) {
        auto folded = fold_model_aliases(b, *fold);
        if (!folded) return fail("model export", folded.message());
        std::string tables;
        for (const auto& t : fold->tables) tables += (tables.empty() ? "" : ",") + portable(t.string());
        const std::string note = std::to_string(*folded) + " entities that no caption of " + tables +
                                 " names take the vector of the entity the graph " + portable(fold->graph.string()) +
                                 " gives them as " + fold->relation + " of";
        std::printf("aliases: %s\n", note.c_str());
        save.metadata["aliases_folded"] = note;
    }
    auto st = save_model_dir(b, out, save);
    if (!st) return fail("model export", st.message());
    const auto bytes = fs::file_size(fs::path(out) / "weights.bin", ec);
    std::printf("%s -> %s (%s weights, %.1f MB)\n", from.c_str(), out.c_str(), dtype.c_str(),
                ec ? 0.0 : static_cast<double>(bytes) / 1e6);
    return 0;
}

// A LoRA adapter directory folded into a full model directory (W += scale B A).
int run_model_merge_lora(const Args& a) {
    const std::string from = a.get("model"), out = a.get("out");
    if (from.empty() || out.empty()) return fail("model merge-lora", "--model ADAPTER_DIR and --out DIR are required");
    if (!a.errors().empty()) return 2;
    if (!is_lora_dir(from))
        return fail("model merge-lora", from + " is not a LoRA adapter directory (no adapter.json)");
    auto loaded = load_model_dir(from, c10::kCPU);
    if (!loaded) return fail("model merge-lora", loaded.message());
    auto& b = **loaded;
    auto merged = merge_lora(b.net->transformer);
    if (!merged) return fail("model merge-lora", merged.message());
    SaveModelOptions save;
    save.metadata["merged_from_adapter"] = fs::absolute(from).lexically_normal().string();
    auto st = save_model_dir(b, out, save);
    if (!st) return fail("model merge-lora", st.message());
    std::printf("%s merged into its base -> %s\n", from.c_str(), out.c_str());
    return 0;
}

}  // namespace

SHENBI_COMMAND("model merge-lora",
               "fold a LoRA adapter directory into its base: a full model directory",
               "shenbi-cli model merge-lora --model ADAPTER_DIR --out DIR\n"
               "  ADAPTER_DIR  a `finetune --lora_rank R` result (adapter.json names the base model)",
               run_model_merge_lora);

SHENBI_COMMAND(
    "model export",
    "copy a model directory for shipping: fp16/bf16 weights, a new name, notes",
    "shenbi-cli model export --model runs/gpt/best --out DIR [--dtype fp32|fp16|bf16] [--name NAME]\n"
    "                        [--description TEXT] [--examples FILE] [--top_k K --top_p P --temperature T --guidance "
    "G --best_of N --layout on|off --layout_guidance G\n"
    "                        --colour_guidance G]\n"
    "  Loading converts the weights back to fp32; fp16 halves the files.\n"
    "  --description/--examples: the model card the studio shows (what the model draws; FILE holds\n"
    "                example prompts, one per line, '#' comments; they cycle in the prompt's placeholder)\n"
    "  --top_k/--top_p/--temperature/--guidance/--best_of/--layout/--layout_guidance/--colour_guidance:\n"
    "                sampling the model\n"
    "                recommends (generate and the studio start from it)\n"
    "  --fold_aliases TRAIN.tsv[,MORE.tsv]  entities that no caption of these tables (the model's training data)\n"
    "                names, but that the graph gives as an alias of one they do, take that entity's vector:\n"
    "                the GPT reads an unseen alias (大熊猫) as the thing it learned (熊猫)\n"
    "  --graph DIR   the knowledge graph with triples.tsv (default: the bundled one)\n"
    "  --alias_relation NAME   the graph's alias relation (default 别名)",
    run_model_export);

SHENBI_COMMAND("model new",
               "a new model directory: a preset with a vocabulary, entity table and trained VQGAN, for `train gpt`",
               "shenbi-cli model new --preset small --vocab vocab.txt --entities resources/knowledge\n"
               "                     --vqgan_from runs/vq/model --out runs/base [--fusion lattice|easynlp|none]\n"
               "  --preset      artist-base, scene, small or tiny (default small): the GPT's shape\n"
               "  --vocab       vocab.txt (`shenbi-cli vocab build`); default: a synthetic CJK vocabulary\n"
               "  --entities    directory with entity2id.txt + entity2vec.pt (`transe train`); default: none\n"
               "  --vqgan_from  model directory whose VQGAN (shape and weights) is copied; default: random\n"
               "  --fusion      knowledge fusion (default: the preset's; none without --entities)\n"
               "  --name NAME --seed N   model name, GPT initialisation seed",
               run_model_new);

SHENBI_COMMAND("model grow",
               "a deeper copy of a model that computes what it did, for `train gpt` to continue (progressive stacking)",
               "shenbi-cli model grow --model DIR --n_layer N --out DIR\n"
               "  --n_layer  the new depth, a multiple of the model's: each block is followed by copies of itself\n"
               "             whose output projections are zero, so the grown GPT starts at the model's loss",
               run_model_grow);

SHENBI_COMMAND("model average",
               "the mean of the weights of runs that share one start (a model soup), for `model export` or `eval`",
               "shenbi-cli model average --models DIR,DIR[,DIR...] --out DIR\n"
               "  --models  two or more model directories with the same shapes, vocabulary and entities: runs\n"
               "            fine-tuned from one start (`model grow`, the shipped GPT); vocabulary, entity table,\n"
               "            card and sampling are the first one's",
               run_model_average);

SHENBI_COMMAND("inspect",
               "list the keys, dtypes and shapes of a PyTorch checkpoint or model directory",
               "shenbi-cli inspect FILE|DIR\n"
               "  FILE  a torch.save file (state dict), e.g. pytorch_model.bin or weights.bin\n"
               "  DIR   a Shenbi or EasyNLP model directory (its weights file is listed)",
               run_inspect);

SHENBI_COMMAND("import-easynlp",
               "convert an EasyNLP ARTIST model directory into a Shenbi model directory",
               "shenbi-cli import-easynlp --model_dir DIR [--entity2vec FILE --entity2id FILE] --out DIR\n"
               "  --model_dir   EasyNLP directory: config.json, vocab.txt, pytorch_model.bin\n"
               "  --entity2vec  TransE table (torch.save file); default: entity2vec.pt in DIR or its parent\n"
               "  --entity2id   OpenKE entity2id.txt; default: beside entity2vec.pt\n"
               "  --out         Shenbi model directory to write (replaced atomically if it exists)",
               run_import);

}  // namespace shenbi::cli
