#include "core/train/finetune_prepare.h"

#include <torch/torch.h>

#include "core/io/lora_dir.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_extension.h"
#include "core/knowledge/transe.h"
#include "core/model/lora.h"
#include "core/model/model_bundle.h"
#include "core/util/resources.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

void say(const MessageFn& message, const std::string& text) {
    if (message) message(text);
}

// The bundled graph's relations, when `table` is that graph's entity table
// (same names): their vectors live in the same space as the table's.
RelationVectors bundled_relations(const EntityTable& table) {
    auto dir = default_knowledge_dir();
    if (!dir) return {};
    auto graph = load_transe(*dir);
    if (!graph || graph->entities != table.names() || graph->model.relations.size(1) != table.dim()) return {};
    return {graph->relations, graph->model.relations};
}

std::string join(const std::vector<std::string>& items, std::size_t most) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < most; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > most) out += ", ...";
    return out;
}

}  // namespace

Result<std::vector<std::string>> apply_user_triples(ModelBundle& model,
                                                    const fs::path& triples,
                                                    const fs::path& run_dir,
                                                    std::uint64_t seed,
                                                    const MessageFn& message) {
    if (!model.entities)
        return make_error(ErrorCode::InvalidArgument,
                          "--triples " + triples.string() + ": the model has no entity table for new names");
    const fs::path kept = run_dir / "knowledge";
    auto cached = load_entity_files(kept);
    if (!cached) return cached.error();
    std::vector<std::string> added;
    if (*cached) {  // a resumed run: the vectors it trained with
        const auto& names = (*cached)->names();
        for (std::size_t i = static_cast<std::size_t>(model.entities->size()); i < names.size(); ++i)
            added.push_back(names[i]);
        model.entities = std::move(*cached);
        say(message, "knowledge: " + std::to_string(added.size()) + " names of your own, from " + kept.string());
        return added;
    }
    auto rows = read_user_triples(triples);
    if (!rows) return rows.error();
    EntityExtensionConfig config;
    config.seed = seed;
    auto ext = extend_entity_table(*model.entities, bundled_relations(*model.entities), *rows, config);
    if (!ext) return make_error(ext.error().code, triples.string() + ": " + ext.message());
    std::error_code ec;
    fs::create_directories(kept, ec);
    if (ec) return make_error(ErrorCode::Io, "cannot create " + kept.string() + ": " + ec.message());
    SHENBI_TRY_STATUS(save_entity_files(ext->table, kept));
    say(message, "knowledge: " + std::to_string(ext->new_entities.size()) + " new names (" +
                     join(ext->new_entities, 8) + ") got vectors beside the graph's (loss " +
                     std::to_string(ext->final_loss) + ")");
    model.entities = std::make_shared<const EntityTable>(std::move(ext->table));
    return ext->new_entities;
}

Status prepare_base(ModelBundle& model, bool lora) {
    if (!has_lora(model.net->transformer)) return Status::success();
    if (lora) {
        auto info = read_lora_dir_info(model.dir);
        const std::string base = info ? info->base_model.string() : std::string("its base model");
        return make_error(ErrorCode::InvalidArgument,
                          "--model " + model.dir.string() + " is a LoRA adapter on " + base +
                              ": train new adapters on that base, or fine-tune fully (the adapter is merged first)");
    }
    return merge_lora(model.net->transformer);
}

TrainOptions finetune_train_options(const FinetunePlan& p) {
    TrainOptions o;
    o.stage = TrainStage::Gpt;
    o.train_tsv = p.train_tsv;
    o.val_tsv = p.val_tsv;
    o.run_dir = p.run_dir;
    o.optim.learning_rate = p.learning_rate;
    o.optim.warmup_fraction = p.warmup_fraction;
    o.epochs = p.epochs;
    o.max_steps = p.max_steps;
    o.micro_batch = p.micro_batch;
    o.eval_every = p.eval_every;
    o.save_every = p.save_every;
    o.early_stop_patience = p.early_stop_patience;
    o.sample_prompts = p.prompts;
    o.seed = p.seed;
    o.threads = p.threads;
    if (auto mixed = mixed_precision_from_string(p.mixed_precision); mixed)
        o.mixed = *mixed;  // validate_plan names a bad one
    if (p.lora()) {
        LoraConfig lora;
        lora.rank = p.lora_rank;
        lora.alpha = p.lora_alpha > 0 ? p.lora_alpha : 2.0 * p.lora_rank;
        if (!p.lora_targets.empty()) lora.targets = p.lora_targets;
        o.lora = lora;
    }
    return o;
}

Result<std::vector<std::string>> prepare_finetune_data(const fs::path& folder,
                                                       double val_fraction,
                                                       const fs::path& triples,
                                                       ModelBundle& model,
                                                       TrainOptions& options,
                                                       const MessageFn& message,
                                                       std::vector<std::string>* left_out) {
    if (!folder.empty()) {
        auto tables = split_folder_tables(folder, val_fraction, options.seed, options.run_dir);
        if (!tables) return tables.error();
        options.train_tsv = tables->train;
        options.val_tsv = tables->val;
        say(message, folder.string() + ": " + std::to_string(tables->train_rows) + " images for training, " +
                         std::to_string(tables->val_rows) + " for validation, " +
                         std::to_string(tables->left_out.size()) + " left out");
        for (const auto& l : tables->left_out) say(message, "left out " + l);
        if (left_out) *left_out = std::move(tables->left_out);
    }
    if (triples.empty()) return std::vector<std::string>();
    auto added = apply_user_triples(model, triples, options.run_dir, options.seed, message);
    if (!added) return added.error();
    options.adapter_entities = true;
    return added;
}

Result<PreparedFinetune> prepare_finetune(const FinetunePlan& plan, ModelBundle& model, const MessageFn& message) {
    if (auto errors = validate_plan(plan); !errors.empty()) {
        std::string text;
        for (const auto& e : errors) text += (text.empty() ? "" : "\n") + e;
        return make_error(ErrorCode::InvalidArgument, text);
    }
    SHENBI_TRY_STATUS(prepare_base(model, plan.lora()));
    PreparedFinetune out;
    out.options = finetune_train_options(plan);
    auto added =
        prepare_finetune_data(plan.folder, plan.val_fraction, plan.triples, model, out.options, message, &out.left_out);
    if (!added) return added.error();
    out.new_entities = std::move(*added);
    return out;
}

}  // namespace shenbi
