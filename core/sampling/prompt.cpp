#include "core/sampling/prompt.h"

#include <torch/torch.h>

#include "core/knowledge/entity_table.h"
#include "core/model/knowledge_fusion.h"
#include "core/model/model_bundle.h"
#include "core/text/tokenizer.h"
#include "core/text/utf8.h"

namespace shenbi {
namespace {

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

bool knowledge_enabled(const ModelBundle& model, bool use_knowledge) {
    return use_knowledge && model.entities && model.config.gpt.fusion != FusionMode::None;
}

}  // namespace

Status check_prompt(std::string_view prompt) {
    if (is_blank(prompt)) return make_error(ErrorCode::InvalidArgument, "the prompt is empty");
    return check_utf8(prompt, "the prompt");
}

Result<EncodedPrompt> encode_prompt(const ModelBundle& model,
                                    const std::string& prompt,
                                    bool use_knowledge,
                                    const std::vector<LinkedSpan>* given) {
    SHENBI_TRY_STATUS(check_prompt(prompt));
    const auto& g = model.config.gpt;
    EncodedPrompt out;
    out.text_ids = model.tokenizer->encode(prompt, g.text_len, &out.token_len);
    const auto tokens = model.tokenizer->tokenize(prompt);
    for (const auto& t : tokens) out.unknown_tokens += t.id == model.tokenizer->unk_id();
    out.words_ids = torch::zeros({g.max_entities, g.text_len}, torch::kLong);
    out.words_mask = torch::zeros({g.max_entities, g.text_len}, torch::kBool);
    if (!knowledge_enabled(model, use_knowledge)) return out;
    out.knowledge = true;

    std::vector<std::string> texts;
    texts.reserve(tokens.size());
    for (const auto& t : tokens) texts.push_back(t.text);
    std::vector<LatticeEntity> lattice;
    if (given) {
        for (const auto& e : *given) {
            if (e.id < 0 || e.id >= model.entities->size()) {
                return make_error(ErrorCode::InvalidArgument,
                                  "entity id " + std::to_string(e.id) + " is outside the entity table (" +
                                      std::to_string(model.entities->size()) + " entities)");
            }
            lattice.push_back({e.id, e.token_begin, e.token_end});
        }
    } else {
        lattice = model.entities->lattice(texts, g.single_char_entities);
    }
    std::erase_if(lattice, [&](const LatticeEntity& e) { return e.token_begin >= g.text_len; });
    if (static_cast<int>(lattice.size()) > g.max_entities) lattice.resize(static_cast<size_t>(g.max_entities));
    auto words = make_words_mat(lattice, g.max_entities, g.text_len);
    out.words_ids = words.ids;
    out.words_mask = words.mask;
    for (const auto& e : lattice) {
        out.entities.push_back(
            {model.entities->name(e.id), e.id, e.token_begin, std::min(e.token_end, g.text_len - 1)});
    }
    return out;
}

EncodedPrompt unconditional_prompt(const ModelBundle& model, const EncodedPrompt& prompt) {
    const auto& g = model.config.gpt;
    EncodedPrompt out;
    out.text_ids = model.tokenizer->encode("", g.text_len, &out.token_len);
    out.knowledge = prompt.knowledge;
    out.words_ids = torch::zeros({g.max_entities, g.text_len}, torch::kLong);
    out.words_mask = torch::zeros({g.max_entities, g.text_len}, torch::kBool);
    return out;
}

torch::Tensor text_input(const ModelBundle& model, const EncodedPrompt& prompt, int64_t batch) {
    auto ids = torch::tensor(prompt.text_ids, torch::kLong) + model.config.gpt.img_vocab;  // joint vocabulary
    return ids.unsqueeze(0).expand({batch, -1}).contiguous().to(model.device);             // (B, T_text)
}

KnowledgeInput knowledge_input(const ModelBundle& model, const EncodedPrompt& prompt, int64_t batch) {
    if (!prompt.knowledge) return {};
    if (prompt.entities.empty() && model.config.gpt.fusion == FusionMode::Lattice) return {};  // nothing to inject
    // Every position, entity id 0 included where no entity is; one row, then the batch.
    auto one = entity_knowledge(model.entities->vectors(), prompt.words_ids.unsqueeze(0),
                                prompt.words_mask.unsqueeze(0));  // (1, N, T_text, D), (1, N, T_text)
    KnowledgeInput k;
    k.emb = one.emb.expand({batch, -1, -1, -1}).contiguous().to(model.device);  // (B, N, T_text, D)
    k.mask = one.mask.expand({batch, -1, -1}).contiguous().to(model.device);    // (B, N, T_text)
    return k;
}

KnowledgeInput concat_knowledge(const KnowledgeInput& a, int64_t a_rows, const KnowledgeInput& b, int64_t b_rows) {
    if (!a.defined() && !b.defined()) return {};
    const KnowledgeInput& shape = a.defined() ? a : b;
    auto filled = [&](const KnowledgeInput& k, int64_t rows) {
        if (k.defined()) return k;
        KnowledgeInput zero;
        auto emb_size = shape.emb.sizes().vec();
        emb_size[0] = rows;
        zero.emb = torch::zeros(emb_size, shape.emb.options());  // (rows, N, T_text, D)
        if (shape.mask.defined()) {
            auto mask_size = shape.mask.sizes().vec();
            mask_size[0] = rows;
            zero.mask = torch::zeros(mask_size, shape.mask.options());  // (rows, N, T_text)
        }
        return zero;
    };
    const auto fa = filled(a, a_rows), fb = filled(b, b_rows);
    KnowledgeInput k;
    k.emb = torch::cat({fa.emb, fb.emb}, 0);                            // (a_rows + b_rows, N, T_text, D)
    if (fa.mask.defined()) k.mask = torch::cat({fa.mask, fb.mask}, 0);  // (a_rows + b_rows, N, T_text)
    return k;
}

}  // namespace shenbi
