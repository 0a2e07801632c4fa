// Configuration structs for the two ARTIST stages and the model bundle.
// Presets: the released sizes (`artist-base`, taming f16/16384) and tiny
// ones for tests. JSON (de)serialisation lives in config.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

// How entity embeddings reach the GPT.
enum class FusionMode {
    None,     // no knowledge module (ent_emb absent)
    EasyNLP,  // as released: after the stack, on the 32 text positions; only the first image token is affected
    Lattice,  // the paper's per-token fusion into the text token embeddings, before the stack
};
std::string to_string(FusionMode mode);
Result<FusionMode> fusion_mode_from_string(const std::string& name);

struct GptConfig {
    int n_layer = 12;
    int n_head = 12;
    int n_embd = 768;
    int text_len = 32;       // text tokens before the image
    int img_len = 256;       // image codes (grid * grid)
    int text_vocab = 21128;  // BERT-Chinese vocab.txt
    int img_vocab = 16384;   // VQGAN codebook
    int ent_dim = 100;       // TransE dimension
    int max_entities = 10;   // entity slots per prompt (words_mat rows)
    FusionMode fusion = FusionMode::EasyNLP;
    double dropout = 0.0;
    // Link one-character entity names (猫, 树) where no longer name covers
    // them and the character is not too ambiguous (EntityTable::lattice).
    // ARTIST never does (false keeps its lattice exactly).
    bool single_char_entities = false;

    int vocab_size() const { return img_vocab + text_vocab; }  // text ids are offset by img_vocab
    int block_size() const { return text_len + img_len; }
    int head_size() const { return n_embd / n_head; }
    Status validate() const;

    static GptConfig artist_base();  // 12/12/768, 32 + 256 tokens, vocab 37512
    static GptConfig tiny();         // 2/2/32, 8 + 16 tokens, for unit tests
};

struct VqganConfig {
    int ch = 128;
    std::vector<int> ch_mult{1, 1, 2, 2, 4};
    int num_res_blocks = 2;
    std::vector<int> attn_resolutions{16};
    int z_channels = 256;
    int embed_dim = 256;
    int n_embed = 16384;
    int resolution = 256;
    int in_channels = 3;
    int out_ch = 3;

    int downsample_factor() const { return 1 << (static_cast<int>(ch_mult.size()) - 1); }
    int grid_size() const { return resolution / downsample_factor(); }
    int num_tokens() const { return grid_size() * grid_size(); }
    Status validate() const;

    static VqganConfig taming_f16_16384();  // the released first stage
    static VqganConfig small_f8();          // 64 px, f8, 1024 codes: the first bundled model
    static VqganConfig scene_f4();          // 64 px, f4 (16 x 16 codes), 1024 codes: the scene model
    static VqganConfig tiny();              // 16 px, f4, 32 codes, for unit tests
};

// Sampling settings a model's trainer recommends (model.json "sampling"):
// a small model that memorised its codes needs a low temperature and top-k,
// where artist-base works with the usual top-k 100. The CLI and the studio
// start from these when a model has them; the user's explicit choice wins.
// Classifier-free guidance scales a model, the CLI and the studio accept
// (1 = off). Above 20 the logits are dominated by (c - u) and sampling degenerates.
inline constexpr double kGuidanceMin = 1.0;
inline constexpr double kGuidanceMax = 20.0;
std::string guidance_range_text();  // "1 <= guidance <= 20 (1 = off)", for messages
// A guidance that may be left to the plain one (SamplingParams::layout_guidance,
// colour_guidance): 0 (as the guidance) or a guidance scale.
inline bool valid_guidance_or_zero(double g) {
    return g == 0 || (g >= kGuidanceMin && g <= kGuidanceMax);
}
// Best of N (SamplingParams::best_of) a model may recommend; candidates x
// best_of is further bound by generate()'s kMaxSampledRows.
inline constexpr int kBestOfMax = 16;

struct RecommendedSampling {
    int top_k = 100;
    double top_p = 1.0;
    double temperature = 1.0;
    double guidance = 1.0;  // classifier-free guidance (SamplingParams::guidance); 1 = off
    int best_of = 1;        // images sampled per candidate shown (SamplingParams::best_of); 1 = off
    bool layout = false;    // plan a layout from the prompt (SamplingParams::layout)
    // Guidance for a picture drawn in parts (SamplingParams::layout_guidance); 0 = `guidance`.
    double layout_guidance = 0;
    // Guidance for the colour words (SamplingParams::colour_guidance); 0 = `guidance`.
    double colour_guidance = 0;
    // top_k >= 0, 0 < top_p <= 1, temperature > 0, kGuidanceMin <= guidance <= kGuidanceMax,
    // 1 <= best_of <= kBestOfMax, layout_guidance and colour_guidance 0 or a guidance
    Status validate() const;
};

// What a model knows, for people (model.json "card"): a line on its domain
// and prompts it draws well. The studio cycles the examples through the
// prompt's placeholder and shows the card in the model manager.
struct ModelCard {
    std::string description;
    std::vector<std::string> examples;
    bool empty() const { return description.empty() && examples.empty(); }
};

struct ModelConfig {
    std::string name = "unnamed";
    ModelCard card;
    GptConfig gpt;
    VqganConfig vqgan;
    std::optional<RecommendedSampling> sampling;
    Status validate() const;  // also checks gpt.img_len == vqgan tokens, vocab sizes

    static Result<ModelConfig> preset(const std::string& name);  // "artist-base", "small", "tiny"
};

std::string to_json(const ModelConfig& config);
Result<ModelConfig> model_config_from_json(const std::string& json_text);

}  // namespace shenbi
