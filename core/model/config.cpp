#include "core/model/config.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace shenbi {

std::string to_string(FusionMode mode) {
    switch (mode) {
        case FusionMode::None:
            return "none";
        case FusionMode::EasyNLP:
            return "easynlp";
        case FusionMode::Lattice:
            return "lattice";
    }
    return "none";
}

Result<FusionMode> fusion_mode_from_string(const std::string& name) {
    if (name == "none") return FusionMode::None;
    if (name == "easynlp") return FusionMode::EasyNLP;
    if (name == "lattice") return FusionMode::Lattice;
    return make_error(ErrorCode::InvalidArgument,
                      "unknown fusion mode '" + name + "' (expected none, easynlp or lattice)");
}

namespace {

Status positive(int value, const char* name) {
    if (value > 0) return Status::success();
    return make_error(ErrorCode::InvalidArgument,
                      std::string(name) + " must be positive, got " + std::to_string(value));
}

}  // namespace

Status GptConfig::validate() const {
    for (auto [v, n] : {std::pair{n_layer, "n_layer"},
                        {n_head, "n_head"},
                        {n_embd, "n_embd"},
                        {text_len, "text_len"},
                        {img_len, "img_len"},
                        {text_vocab, "text_vocab"},
                        {img_vocab, "img_vocab"}}) {
        SHENBI_TRY_STATUS(positive(v, n));
    }
    if (n_embd % n_head != 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "n_embd " + std::to_string(n_embd) + " is not divisible by n_head " + std::to_string(n_head));
    }
    if (fusion != FusionMode::None) {
        SHENBI_TRY_STATUS(positive(ent_dim, "ent_dim"));
        SHENBI_TRY_STATUS(positive(max_entities, "max_entities"));
    }
    return Status::success();
}

GptConfig GptConfig::artist_base() {
    return GptConfig{};
}

GptConfig GptConfig::tiny() {
    GptConfig c;
    c.n_layer = 2;
    c.n_head = 2;
    c.n_embd = 32;
    c.text_len = 8;
    c.img_len = 16;
    c.text_vocab = 64;
    c.img_vocab = 32;
    c.ent_dim = 8;
    c.max_entities = 4;
    return c;
}

Status VqganConfig::validate() const {
    for (auto [v, n] : {std::pair{ch, "ch"},
                        {num_res_blocks, "num_res_blocks"},
                        {z_channels, "z_channels"},
                        {embed_dim, "embed_dim"},
                        {n_embed, "n_embed"},
                        {resolution, "resolution"}}) {
        SHENBI_TRY_STATUS(positive(v, n));
    }
    if (ch_mult.empty()) return make_error(ErrorCode::InvalidArgument, "ch_mult must not be empty");
    if (resolution % downsample_factor() != 0) {
        return make_error(ErrorCode::InvalidArgument, "resolution " + std::to_string(resolution) +
                                                          " is not divisible by the downsample factor " +
                                                          std::to_string(downsample_factor()));
    }
    for (int m : ch_mult) {
        if (ch * m % 32 != 0) {
            return make_error(ErrorCode::InvalidArgument, "ch * ch_mult must be a multiple of 32 (GroupNorm groups)");
        }
    }
    return Status::success();
}

VqganConfig VqganConfig::taming_f16_16384() {
    return VqganConfig{};
}

VqganConfig VqganConfig::small_f8() {
    VqganConfig c;
    c.ch = 64;
    c.ch_mult = {1, 2, 2, 4};
    c.num_res_blocks = 1;
    c.attn_resolutions = {8};
    c.z_channels = 64;
    c.embed_dim = 64;
    c.n_embed = 1024;
    c.resolution = 64;
    return c;
}

// Scenes put up to four objects of 15-25 px on a 64 px canvas: at f8 an
// object is 2-3 codes wide and comes back as a blob; at f4 it gets 4-6.
VqganConfig VqganConfig::scene_f4() {
    VqganConfig c;
    c.ch = 32;  // 32/64/128 channels: a quarter of small_f8's cost per pixel, ~1 s per step of 16 on 2 cores
    c.ch_mult = {1, 2, 4};
    c.num_res_blocks = 1;
    c.attn_resolutions = {};  // the mid blocks' attention at 16 x 16 is kept
    c.z_channels = 64;
    c.embed_dim = 64;
    c.n_embed = 1024;
    c.resolution = 64;
    return c;
}

VqganConfig VqganConfig::tiny() {
    VqganConfig c;
    c.ch = 32;
    c.ch_mult = {1, 1, 2};
    c.num_res_blocks = 1;
    c.attn_resolutions = {4};
    c.z_channels = 16;
    c.embed_dim = 16;
    c.n_embed = 32;
    c.resolution = 16;
    return c;
}

Status ModelConfig::validate() const {
    SHENBI_TRY_STATUS(gpt.validate());
    SHENBI_TRY_STATUS(vqgan.validate());
    if (gpt.img_len != vqgan.num_tokens()) {
        return make_error(ErrorCode::InvalidArgument, "gpt.img_len " + std::to_string(gpt.img_len) +
                                                          " does not match the VQGAN grid (" +
                                                          std::to_string(vqgan.num_tokens()) + " codes)");
    }
    if (gpt.img_vocab != vqgan.n_embed) {
        return make_error(ErrorCode::InvalidArgument, "gpt.img_vocab " + std::to_string(gpt.img_vocab) +
                                                          " does not match the VQGAN codebook (" +
                                                          std::to_string(vqgan.n_embed) + ")");
    }
    return Status::success();
}

Result<ModelConfig> ModelConfig::preset(const std::string& name) {
    ModelConfig c;
    c.name = name;
    if (name == "artist-base") {
        c.gpt = GptConfig::artist_base();
        c.vqgan = VqganConfig::taming_f16_16384();
    } else if (name == "small" || name == "scene") {
        // The same 6 x 256 GPT over 64 codes (small) or 256 (scene).
        c.vqgan = name == "small" ? VqganConfig::small_f8() : VqganConfig::scene_f4();
        c.gpt.n_layer = 6;
        c.gpt.n_head = 8;
        c.gpt.n_embd = 256;
        c.gpt.text_len = 32;
        c.gpt.img_len = c.vqgan.num_tokens();
        c.gpt.img_vocab = c.vqgan.n_embed;
        c.gpt.fusion = FusionMode::Lattice;
        c.gpt.single_char_entities = name == "scene";  // its captions name 猫, 树, 马 ... alone
    } else if (name == "tiny") {
        c.gpt = GptConfig::tiny();
        c.vqgan = VqganConfig::tiny();
    } else {
        return make_error(ErrorCode::InvalidArgument,
                          "unknown preset '" + name + "' (known: artist-base, scene, small, tiny)");
    }
    return c;
}

std::string guidance_range_text() {
    char text[64];
    std::snprintf(text, sizeof text, "%g <= guidance <= %g (1 = off)", kGuidanceMin, kGuidanceMax);
    return text;
}

Status RecommendedSampling::validate() const {
    if (!(top_k >= 0 && top_p > 0 && top_p <= 1 && temperature > 0 && guidance >= kGuidanceMin &&
          guidance <= kGuidanceMax && best_of >= 1 && best_of <= kBestOfMax &&
          valid_guidance_or_zero(layout_guidance) && valid_guidance_or_zero(colour_guidance)))
        return make_error(ErrorCode::InvalidArgument,
                          "\"sampling\" needs top_k >= 0, 0 < top_p <= 1, temperature > 0, " + guidance_range_text() +
                              ", 1 <= best_of <= " + std::to_string(kBestOfMax) +
                              ", layout_guidance and colour_guidance 0 (the guidance) or a guidance");
    return Status::success();
}

std::string to_json(const ModelConfig& config) {
    const auto& g = config.gpt;
    const auto& v = config.vqgan;
    nlohmann::ordered_json j;
    j["format"] = "shenbi-model";
    j["format_version"] = 1;
    j["name"] = config.name;
    if (!config.card.empty())
        j["card"] = {{"description", config.card.description}, {"examples", config.card.examples}};
    j["gpt"] = {
        {"n_layer", g.n_layer},          {"n_head", g.n_head},   {"n_embd", g.n_embd},
        {"text_len", g.text_len},        {"img_len", g.img_len}, {"text_vocab", g.text_vocab},
        {"img_vocab", g.img_vocab},      {"ent_dim", g.ent_dim}, {"max_entities", g.max_entities},
        {"fusion", to_string(g.fusion)}, {"dropout", g.dropout}, {"single_char_entities", g.single_char_entities}};
    j["vqgan"] = {{"ch", v.ch},
                  {"ch_mult", v.ch_mult},
                  {"num_res_blocks", v.num_res_blocks},
                  {"attn_resolutions", v.attn_resolutions},
                  {"z_channels", v.z_channels},
                  {"embed_dim", v.embed_dim},
                  {"n_embed", v.n_embed},
                  {"resolution", v.resolution},
                  {"in_channels", v.in_channels},
                  {"out_ch", v.out_ch}};
    if (config.sampling)
        j["sampling"] = {{"top_k", config.sampling->top_k},
                         {"top_p", config.sampling->top_p},
                         {"temperature", config.sampling->temperature}};
    if (config.sampling && config.sampling->guidance != 1.0) j["sampling"]["guidance"] = config.sampling->guidance;
    if (config.sampling && config.sampling->best_of != 1) j["sampling"]["best_of"] = config.sampling->best_of;
    if (config.sampling && config.sampling->layout) j["sampling"]["layout"] = true;
    if (config.sampling && config.sampling->layout_guidance != 0)
        j["sampling"]["layout_guidance"] = config.sampling->layout_guidance;
    if (config.sampling && config.sampling->colour_guidance != 0)
        j["sampling"]["colour_guidance"] = config.sampling->colour_guidance;
    return j.dump(2) + "\n";
}

namespace {

template <class T>
void read_field(const nlohmann::json& obj, const char* key, T& out) {
    if (obj.contains(key)) out = obj.at(key).get<T>();
}

}  // namespace

Result<ModelConfig> model_config_from_json(const std::string& json_text) {
    try {
        const auto j = nlohmann::json::parse(json_text);
        ModelConfig c;
        read_field(j, "name", c.name);
        if (j.contains("card")) {
            read_field(j.at("card"), "description", c.card.description);
            read_field(j.at("card"), "examples", c.card.examples);
        } else if (j.contains("metadata") && j.at("metadata").contains("description")) {
            read_field(j.at("metadata"), "description", c.card.description);  // exported before the card existed
        }
        if (j.contains("gpt")) {
            const auto& g = j.at("gpt");
            read_field(g, "n_layer", c.gpt.n_layer);
            read_field(g, "n_head", c.gpt.n_head);
            read_field(g, "n_embd", c.gpt.n_embd);
            read_field(g, "text_len", c.gpt.text_len);
            read_field(g, "img_len", c.gpt.img_len);
            read_field(g, "text_vocab", c.gpt.text_vocab);
            read_field(g, "img_vocab", c.gpt.img_vocab);
            read_field(g, "ent_dim", c.gpt.ent_dim);
            read_field(g, "max_entities", c.gpt.max_entities);
            read_field(g, "dropout", c.gpt.dropout);
            read_field(g, "single_char_entities", c.gpt.single_char_entities);
            std::string fusion = to_string(c.gpt.fusion);
            read_field(g, "fusion", fusion);
            auto mode = fusion_mode_from_string(fusion);
            if (!mode) return mode.error();
            c.gpt.fusion = *mode;
        }
        if (j.contains("vqgan")) {
            const auto& v = j.at("vqgan");
            read_field(v, "ch", c.vqgan.ch);
            read_field(v, "ch_mult", c.vqgan.ch_mult);
            read_field(v, "num_res_blocks", c.vqgan.num_res_blocks);
            read_field(v, "attn_resolutions", c.vqgan.attn_resolutions);
            read_field(v, "z_channels", c.vqgan.z_channels);
            read_field(v, "embed_dim", c.vqgan.embed_dim);
            read_field(v, "n_embed", c.vqgan.n_embed);
            read_field(v, "resolution", c.vqgan.resolution);
            read_field(v, "in_channels", c.vqgan.in_channels);
            read_field(v, "out_ch", c.vqgan.out_ch);
        }
        if (j.contains("sampling")) {
            const auto& s = j.at("sampling");
            RecommendedSampling r;
            read_field(s, "top_k", r.top_k);
            read_field(s, "top_p", r.top_p);
            read_field(s, "temperature", r.temperature);
            read_field(s, "guidance", r.guidance);
            read_field(s, "best_of", r.best_of);
            read_field(s, "layout", r.layout);
            read_field(s, "layout_guidance", r.layout_guidance);
            read_field(s, "colour_guidance", r.colour_guidance);
            if (auto st = r.validate(); !st) return make_error(ErrorCode::Corrupt, "model config: " + st.message());
            c.sampling = r;
        }
        SHENBI_TRY_STATUS(c.validate());
        return c;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Corrupt, std::string("invalid model config JSON: ") + e.what());
    }
}

}  // namespace shenbi
