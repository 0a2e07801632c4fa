// A prompt turned into model inputs: text ids (truncated / padded to
// text_len), the entity lattice, and the knowledge tensors for the GPT.
// Shared by generation, the GUI's token counter and training data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <torch/types.h>

#include "core/model/gpt.h"
#include "core/sampling/generate.h"

namespace shenbi {

struct EncodedPrompt {
    std::vector<std::int64_t> text_ids;  // text_len ids, NOT offset by img_vocab
    int token_len = 0;                   // tokens before truncation (> text_len: truncated)
    int unknown_tokens = 0;              // tokens that became [UNK]
    bool knowledge = false;              // knowledge requested and the model supports it
    std::vector<LinkedSpan> entities;    // at most max_entities, clipped to text_len
    torch::Tensor words_ids;             // (N, T_text) int64 entity ids, 0 elsewhere (released words_mat)
    torch::Tensor words_mask;            // (N, T_text) bool
};

// Whether `prompt` can be generated from, before any work (the CLI calls it
// before loading a model): ErrorCode::InvalidArgument for an empty (or
// whitespace-only) prompt and for one that is not valid UTF-8, naming the
// byte offset (check_utf8, core/text/utf8.h: the same check and message as
// `shenbi-cli link`).
Status check_prompt(std::string_view prompt);

// Fails where check_prompt fails.
// `given` (optional) replaces the linked entities, e.g. from a knowledge TSV.
Result<EncodedPrompt> encode_prompt(const ModelBundle& model,
                                    const std::string& prompt,
                                    bool use_knowledge,
                                    const std::vector<LinkedSpan>* given = nullptr);

// The empty prompt classifier-free guidance compares against: the tokenizer's
// encoding of "" and no linked entity (knowledge as `prompt` asked for it).
EncodedPrompt unconditional_prompt(const ModelBundle& model, const EncodedPrompt& prompt);

// GPT inputs for `batch` copies of the prompt: (B, T_text) ids offset into the
// joint vocabulary, and the knowledge (undefined when knowledge is off or the
// model has no fusion / entity table). Tensors on `device`.
torch::Tensor text_input(const ModelBundle& model, const EncodedPrompt& prompt, int64_t batch);
KnowledgeInput knowledge_input(const ModelBundle& model, const EncodedPrompt& prompt, int64_t batch);

// Rows of `a` then rows of `b` (batch a_rows + b_rows). Where only one side has
// knowledge (lattice fusion: a prompt with entities beside one without), the
// other gets zero vectors under an all-false mask, which injects exactly nothing.
KnowledgeInput concat_knowledge(const KnowledgeInput& a, int64_t a_rows, const KnowledgeInput& b, int64_t b_rows);

}  // namespace shenbi
