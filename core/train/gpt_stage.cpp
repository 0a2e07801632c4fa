// Stage 2: the knowledge GPT on frozen VQGAN codes.
//
// Codes are computed once per TSV (VQGAN in eval mode, no flips) and cached
// in codes-<key>.pt under TrainOptions::code_cache_dir (run_dir/cache when
// unset). The key hashes the TSV's bytes (TsvIndex::content_hash, from the
// indexing pass) and the VQGAN weights, not the path: a changed first stage
// or data file is never read from a stale cache, while a copied, renamed or
// linked table, or another run sharing the cache folder, reuses the codes
// (64,000 images take 17 min to encode on 2 cores; the file format and the
// pruning of a shared folder are in code_cache.h). Text ids and entity
// lattices are rebuilt from the rows on every run (cheap, and they follow
// tokenizer changes).
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/data/prefetcher.h"
#include "core/format/state_dict.h"
#include "core/image/image_io.h"
#include "core/knowledge/entity_table.h"
#include "core/model/knowledge_fusion.h"
#include "core/model/model_bundle.h"
#include "core/sampling/generate.h"
#include "core/sampling/prompt.h"
#include "core/text/tokenizer.h"
#include "core/train/checkpoint.h"
#include "core/train/code_cache.h"
#include "core/train/gpt_loss.h"
#include "core/train/stage.h"
#include "core/util/guard.h"
#include "core/util/hash.h"

namespace shenbi {
namespace fs = std::filesystem;

namespace {

// Part of every code cache key: bump it when decoding, resizing, normalising
// or encoding images changes, so that no shared cache feeds older codes.
constexpr std::uint64_t kCodeCacheVersion = 2;

std::uint64_t module_checksum(const torch::nn::Module& module) {
    std::uint64_t h = kFnv1aOffset;
    for (const auto& [key, value] : module_state_dict(module)) {
        h = fnv1a(key, h);
        auto t = value.detach().to(torch::kCPU).contiguous();
        h = fnv1a(t.data_ptr(), static_cast<std::size_t>(t.nbytes()), h);
    }
    return h;
}

struct Stage2Set {
    fs::path path;
    std::vector<std::int64_t> lines;
    torch::Tensor text_ids;  // (M, T) int32
    torch::Tensor codes;     // (M, L) int16 (int32 for codebooks over 32767)
    torch::Tensor words;     // (M, N, T) int32
    torch::Tensor mask;      // (M, N, T) bool
    std::int64_t size() const { return static_cast<std::int64_t>(lines.size()); }
};

class GptStage final : public TrainingStage {
public:
    explicit GptStage(ModelBundle& model) : model_(model) {}

    Status prepare(const TrainOptions& options,
                   Communicator& comm,
                   BadRowLog& log,
                   const std::function<void(const std::string&)>& message) override {
        if (!model_.tokenizer) return make_error(ErrorCode::InvalidArgument, "stage 2 training needs a tokenizer");
        options_ = options;
        auto vq = model_.net->first_stage_model;
        for (auto& p : vq->parameters()) p.set_requires_grad(false);
        vq_fingerprint_ = hex64(module_checksum(*vq));
        // The frozen first stage computes codes; rank 0 first (it fills the
        // cache), then the others (which read it when they share its folder).
        for (int turn = 0; turn < 2; ++turn) {
            const bool mine = (turn == 0) == (comm.rank() == 0);
            if (mine) {
                auto train = build_set(options.train_tsv, log, message);
                if (!train) return train.error();
                train_ = std::move(*train);
                if (!options.val_tsv.empty()) {
                    auto val = build_set(options.val_tsv, log, message);
                    if (!val) return val.error();
                    val_ = std::move(*val);
                }
            }
            SHENBI_TRY_STATUS(comm.barrier());
        }
        return Status::success();
    }

    std::int64_t train_size() const override { return train_.size(); }
    std::int64_t val_size() const override { return val_.size(); }
    torch::nn::Module& trained_module() override { return *model_.net->transformer; }
    std::string frozen_fingerprint() const override { return "vqgan:" + vq_fingerprint_; }
    std::string trained_prefix() const override { return "transformer"; }

    TrainBatch load_batch(const std::vector<std::int64_t>& items, std::int64_t epoch, bool val) override {
        const Stage2Set& set = val ? val_ : train_;
        TrainBatch b;
        b.items = items;
        b.count = static_cast<std::int64_t>(items.size());
        if (items.empty()) return b;
        auto index = torch::tensor(items, torch::kInt64);
        b.text_ids = set.text_ids.index_select(0, index).to(torch::kInt64);
        b.codes = set.codes.index_select(0, index).to(torch::kInt64);
        b.words = set.words.index_select(0, index).to(torch::kInt64);
        b.words_mask = set.mask.index_select(0, index);
        if (!val && options_.entity_mask > 0 && use_knowledge()) mask_entities(b, epoch);
        if (!val && options_.text_dropout > 0) drop_captions(b, epoch);
        return b;
    }

    Result<StepOutput> forward_backward(const TrainBatch& batch, std::int64_t) override {
        return guarded("GPT step", [&]() -> Result<StepOutput> {
            if (batch.count == 0) return StepOutput{};
            auto loss = batch_loss(batch, options_.mixed);
            loss.backward();
            return StepOutput{loss.item<double>(), batch.count * (batch.text_ids.size(1) + batch.codes.size(1) - 1)};
        });
    }

    Result<double> eval_loss(const TrainBatch& batch) override {
        return guarded("GPT validation", [&]() -> Result<double> {
            torch::NoGradGuard no_grad;
            return batch_loss(batch).item<double>();
        });
    }

    Result<SampleEvent> samples(const TrainOptions& options) override {
        return guarded("GPT samples", [&]() -> Result<SampleEvent> {
            torch::NoGradGuard no_grad;
            SampleEvent ev;
            auto gpt = model_.net->transformer;
            const bool was_training = gpt->is_training();
            gpt->eval();
            for (std::size_t i = 0; i < options.sample_prompts.size(); ++i) {
                // The app's own sampler (KV cache, same seeding), with the same
                // seed at every evaluation so samples are comparable across steps.
                GenerationParams params;
                params.prompt = options.sample_prompts[i];
                params.candidates = 1;
                params.seed = options.seed + 1000003ull * (i + 1);
                params.sampling.top_k = std::max(0, options.sample_top_k);
                params.preview_every = 0;
                auto result = generate(model_, params);
                if (!result) return result.error();
                ev.images.push_back(result->candidates.front().image);
                ev.captions.push_back(params.prompt);
            }
            if (was_training) gpt->train();
            return ev;
        });
    }

private:
    struct TextRow {
        torch::Tensor ids;    // (T) int64
        torch::Tensor words;  // (N, T) int64
        torch::Tensor mask;   // (N, T) bool
    };

    bool use_knowledge() const {
        return model_.net->transformer->config().fusion != FusionMode::None && model_.entities != nullptr;
    }

    Result<TextRow> text_row(const RawExample& ex) const {
        const auto& c = model_.net->transformer->config();
        TextRow row;
        row.ids = torch::tensor(model_.tokenizer->encode(ex.text, c.text_len), torch::kInt64);
        if (!use_knowledge()) {
            row.words = torch::zeros({c.max_entities, c.text_len}, torch::kInt64);
            row.mask = torch::zeros({c.max_entities, c.text_len}, torch::kBool);
            return row;
        }
        const auto lattice = model_.entities->caption_lattice(
            *model_.tokenizer, ex.text, ex.has_knowledge ? &ex.entities : nullptr, c.single_char_entities);
        for (const auto& e : lattice) {
            if (e.id >= model_.entities->size()) {
                return make_error(ErrorCode::Corrupt, "lex_id " + std::to_string(e.id) +
                                                          " is not in the entity table (" +
                                                          std::to_string(model_.entities->size()) + " entities)");
            }
        }
        auto wm = make_words_mat(lattice, c.max_entities, c.text_len);
        row.words = wm.ids;
        row.mask = wm.mask;
        return row;
    }

    // The knowledge technique (TrainOptions::entity_mask): an entity slot's
    // characters become [UNK], its vectors stay. Seeded by (seed, epoch,
    // item), so a resumed run masks the same rows the same way.
    void mask_entities(TrainBatch& b, std::int64_t epoch) const {
        const auto n_slots = b.words_mask.size(1);
        auto draws = item_draws(b, epoch, n_slots, 0);                              // (n, N)
        auto chosen = (draws < options_.entity_mask).unsqueeze(-1) & b.words_mask;  // (n, N, T)
        auto positions = chosen.any(1);                                             // (n, T)
        b.text_ids.masked_fill_(positions, model_.tokenizer->unk_id());
    }

    // TrainOptions::text_dropout: the chosen rows get the empty prompt's ids
    // and no entity, exactly what generation's unconditional pass feeds.
    void drop_captions(TrainBatch& b, std::int64_t epoch) const {
        auto chosen = (item_draws(b, epoch, 1, 1).squeeze(1) < options_.text_dropout);  // (n)
        if (!chosen.any().item<bool>()) return;
        auto empty = torch::tensor(unconditional_prompt(model_, EncodedPrompt{}).text_ids, torch::kInt64);  // (T)
        b.text_ids.index_put_({chosen}, empty);
        b.words.index_put_({chosen}, 0);
        b.words_mask.index_put_({chosen}, false);
    }

    // Uniform draws (n, k) in [0, 1): one stream per item and technique, seeded
    // by (seed, epoch, item), so an item's draw does not depend on the batch it
    // lands in and a resumed run draws the same. Technique 0 keeps the streams
    // entity masking had before caption dropout existed.
    torch::Tensor item_draws(const TrainBatch& b, std::int64_t epoch, std::int64_t k, int technique) const {
        auto draws = torch::empty({b.count, k});  // (n, k)
        for (std::int64_t i = 0; i < b.count; ++i) {
            const auto item = static_cast<std::uint64_t>(b.items[static_cast<std::size_t>(i)]);
            std::uint64_t key =
                derive_seed(derive_seed(options_.seed, static_cast<int>(epoch)), static_cast<int>(item));
            if (technique > 0) key = derive_seed(key, technique);
            // folded to the 32 bits mt19937 keeps
            auto g = at::make_generator<at::CPUGeneratorImpl>((key ^ (key >> 32)) & 0xffffffffull);
            draws[i] = torch::empty({k}).uniform_(0, 1, g);
        }
        return draws;
    }

    KnowledgeInput knowledge(const torch::Tensor& words, const torch::Tensor& mask) const {
        if (!use_knowledge()) return {};
        return entity_knowledge(model_.entities->vectors(), words, mask);
    }

    // Training steps run in options_.mixed; validation stays fp32, so that
    // validation losses compare across runs whatever their training precision.
    torch::Tensor batch_loss(const TrainBatch& b, MixedPrecision mixed = MixedPrecision::Off) {
        return gpt_image_loss(model_.net->transformer, b.text_ids, b.codes, knowledge(b.words, b.words_mask), mixed);
    }

    Result<Stage2Set> build_set(const fs::path& tsv,
                                BadRowLog& log,
                                const std::function<void(const std::string&)>& message) {
        auto index = TsvIndex::build(tsv, &log);
        if (!index) return index.error();
        auto vq = model_.net->first_stage_model;
        const auto& vc = vq->config();
        const auto& c = model_.net->transformer->config();
        const std::uint64_t meta[4] = {kCodeCacheVersion, index->content_hash(),
                                       std::stoull(vq_fingerprint_, nullptr, 16),
                                       static_cast<std::uint64_t>(vc.resolution)};
        const fs::path cache_dir =
            options_.code_cache_dir.empty() ? options_.run_dir / "cache" : options_.code_cache_dir;
        const fs::path cache_file = cache_dir / ("codes-" + hex64(fnv1a(meta, sizeof meta)) + ".pt");
        std::error_code ec;

        CachedCodes got;  // line -> codes row, and why rows without codes have none
        bool cached_hit = false;
        if (fs::exists(cache_file, ec)) {
            auto cached = read_code_cache(cache_file);
            // Every indexed row has codes or a reason, or the cache is not this table's.
            for (std::size_t i = 0; cached.ok() && i < index->size(); ++i) {
                const auto line = index->line(i);
                if (!cached->codes.count(line) && !cached->bad.count(line))
                    cached = make_error(ErrorCode::Corrupt, "code cache " + cache_file.string() +
                                                                ": no codes for line " + std::to_string(line));
            }
            if (cached.ok()) {
                cached_hit = true;
                got = std::move(*cached);
                for (const auto& [line, why] : got.bad) log.add(tsv, line, why);
                if (message) message("codes of " + tsv.string() + " read from cache " + cache_file.filename().string());
            } else if (message) {
                message("ignoring unreadable code cache: " + cached.message());
            }
        }
        if (!cached_hit) {
            if (message) message("encoding the images of " + tsv.string() + " into " + cache_file.string());
            auto st = encode_all(*index, log, got.codes, message);
            if (!st.ok()) return st.error();
            for (const auto& r : log.rows())
                if (r.file == tsv.string()) got.bad[r.line] = r.reason;
            if (auto wst = write_code_cache(cache_file, got, c.img_len); !wst.ok() && message)
                message("code cache not written: " + wst.message());
            for (const auto& gone : prune_code_caches(cache_dir, kKeepCodeCaches))
                if (message) message("removed the least recently used code cache " + gone.string());
        }

        // Text side + assemble.
        Stage2Set set;
        set.path = tsv;
        std::vector<torch::Tensor> ids, codes, words, masks;
        auto in = index->open_stream();
        for (std::size_t i = 0; i < index->size(); ++i) {
            const auto line = index->line(i);
            auto it = got.codes.find(line);
            if (it == got.codes.end()) continue;  // image failed (already logged)
            auto ex = index->read(in, i);
            if (!ex) {
                log.add(tsv, line, ex.message());
                continue;
            }
            auto row = text_row(*ex);
            if (!row) {
                log.add(tsv, line, row.message());
                continue;
            }
            if (it->second.numel() != c.img_len) {
                log.add(tsv, line, "cached codes have the wrong length");
                continue;
            }
            set.lines.push_back(line);
            ids.push_back(row->ids);
            codes.push_back(it->second.to(torch::kInt64));
            words.push_back(row->words);
            masks.push_back(row->mask);
        }
        if (set.lines.empty()) return set;
        // Held compactly and widened per batch in load_batch: an artist-base
        // row (32 ids, 256 codes, 10 x 32 entity slots + mask) takes 2,240
        // bytes instead of 5,184, so 100k rows take 224 MB instead of 518 MB.
        set.text_ids = torch::stack(ids).to(torch::kInt32);
        set.codes = torch::stack(codes).to(c.img_vocab <= 32767 ? torch::kInt16 : torch::kInt32);
        set.words = torch::stack(words).to(model_.entities && model_.entities->size() > 2147483647 ? torch::kInt64
                                                                                                   : torch::kInt32);
        set.mask = torch::stack(masks);
        return set;
    }

    Status encode_all(const TsvIndex& index,
                      BadRowLog& log,
                      std::map<std::int64_t, torch::Tensor>& out,
                      const std::function<void(const std::string&)>& message) {
        auto vq = model_.net->first_stage_model;
        const int resolution = vq->config().resolution;
        const std::int64_t chunk = 16;
        const auto n = static_cast<std::int64_t>(index.size());
        struct Decoded {
            std::vector<std::int64_t> lines;
            std::vector<torch::Tensor> images;
            std::vector<std::pair<std::int64_t, std::int64_t>> repeats;  // (line, earlier line with the same image)
        };
        // Rows that repeat an image (several captions per image, as in COCO or
        // the emoji aliases) are encoded once. Touched by the worker thread only.
        std::unordered_map<std::uint64_t, std::int64_t> first_line_of_image;
        std::size_t repeated = 0;
        const auto t0 = std::chrono::steady_clock::now();
        Prefetcher<Decoded> pre(0, (n + chunk - 1) / chunk, 4, [&](std::int64_t k) {
            Decoded d;
            auto in = index.open_stream();
            for (std::int64_t i = k * chunk; i < std::min(n, (k + 1) * chunk); ++i) {
                auto ex = index.read(in, static_cast<std::size_t>(i));
                if (!ex) {
                    log.add(index.path(), index.line(static_cast<std::size_t>(i)), ex.message());
                    continue;
                }
                const auto key = fnv1a(ex->image_base64);
                if (auto seen = first_line_of_image.find(key); seen != first_line_of_image.end()) {
                    d.repeats.emplace_back(ex->line, seen->second);
                    continue;
                }
                auto img = decode_example_image(ex->image_base64, resolution, false);
                if (!img) {
                    log.add(index.path(), ex->line, img.message());
                    continue;
                }
                first_line_of_image.emplace(key, ex->line);
                d.lines.push_back(ex->line);
                d.images.push_back(*img);
            }
            return d;
        });
        const auto code_dtype = vq->config().n_embed <= 32767 ? torch::kInt16 : torch::kInt32;
        const bool was_training = vq->is_training();
        vq->eval();
        // Every row's codes go into one tensor allocated up front, and `out`
        // gets its views only after the loop. Why: small blocks that outlive
        // an iteration (a clone and a map node per row), carved out of the
        // space the previous chunk's large temporaries had freed, fragment
        // glibc's heap; once glibc has raised its mmap threshold (it does
        // after any large block is freed) those temporaries come from that
        // heap, and it only grows: 64,565 rows reached 22 GB resident.
        torch::Tensor all;                                          // (n, L), at the first chunk
        std::vector<std::pair<std::int64_t, std::int64_t>> row_of;  // (line, row of `all`)
        row_of.reserve(static_cast<std::size_t>(n));
        std::vector<std::pair<std::int64_t, std::int64_t>> repeats;  // (line, earlier line)
        std::int64_t filled = 0;
        auto st = guarded("encode images", [&]() -> Status {
            torch::NoGradGuard no_grad;
            while (auto d = pre.next()) {
                if (!d->images.empty()) {
                    const auto b = static_cast<std::int64_t>(d->lines.size());
                    auto codes = vq->encode(torch::stack(d->images));  // (b, L)
                    if (!all.defined()) all = torch::empty({n, codes.size(1)}, code_dtype);
                    all.narrow(0, filled, b).copy_(codes);
                    for (std::int64_t j = 0; j < b; ++j) row_of.emplace_back(d->lines[j], filled + j);
                    filled += b;
                }
                repeats.insert(repeats.end(), d->repeats.begin(), d->repeats.end());
            }
            return Status::success();
        });
        if (was_training) vq->train();
        if (!st.ok()) return st;
        for (const auto& [line, row] : row_of) out[line] = all[row];
        // The earlier line was encoded in the same chunk or a previous one.
        for (const auto& [line, earlier] : repeats) out[line] = out.at(earlier);
        repeated = repeats.size();
        if (message) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            char buf[200];
            std::snprintf(buf, sizeof buf, "encoded %zu images of %s in %.1f s (%zu rows repeat an earlier image)",
                          out.size() - repeated, index.path().c_str(), s, repeated);
            message(buf);
        }
        return st;
    }

    ModelBundle& model_;
    TrainOptions options_;
    std::string vq_fingerprint_;
    Stage2Set train_, val_;
};

}  // namespace

std::unique_ptr<TrainingStage> make_gpt_stage(ModelBundle& model) {
    return std::make_unique<GptStage>(model);
}

}  // namespace shenbi
