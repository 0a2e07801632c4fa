// TransE (Bordes et al. 2013) in LibTorch: h + r ≈ t for true triples.
// Margin ranking loss against corrupted triples (head or tail replaced by a
// random entity, chosen per relation with Bernoulli sampling, Wang et al.
// 2014), L1 or L2 distance, entities renormalised to unit L2 norm after every
// step. Batched and vectorised so a 40k-triple graph trains in seconds on
// two CPU cores.
//
// All state of a run (seed, generator, progress, cancel flag) belongs to the
// call; nothing global except LibTorch's thread count, which `threads` sets
// when > 0 (a process-wide setting).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/knowledge/knowledge_graph.h"
#include "core/util/result.h"

namespace shenbi {

enum class TransENorm { L1 = 1, L2 = 2 };

struct TransEConfig {
    int dim = 100;
    int epochs = 300;
    int batch_size = 4096;        // positive triples per step
    int negatives = 4;            // corrupted triples per positive
    double learning_rate = 0.01;  // Adam
    double margin = 4.0;
    TransENorm norm = TransENorm::L1;
    bool bernoulli = true;  // false: replace head or tail with p = 0.5
    std::uint64_t seed = 1;
    int threads = 0;  // 0: leave LibTorch's setting alone
};

struct TransEProgress {
    int epoch = 0;  // 1-based, finished epochs
    int epochs = 0;
    double mean_loss = 0;  // over the epoch's steps
};

struct TransEModel {
    torch::Tensor entities;   // (N, D) float32, rows of unit L2 norm
    torch::Tensor relations;  // (R, D) float32
    TransENorm norm = TransENorm::L1;
};

using TransEProgressFn = std::function<void(const TransEProgress&)>;

// `triples` index entities 0..num_entities-1 and relations 0..num_relations-1.
// Returns ErrorCode::Cancelled when *cancel becomes true (checked every step).
Result<TransEModel> train_transe(const std::vector<Triple>& triples,
                                 std::int64_t num_entities,
                                 std::int64_t num_relations,
                                 const TransEConfig& config,
                                 const TransEProgressFn& progress = {},
                                 const std::atomic<bool>* cancel = nullptr);

// A random model with the same initialisation as training: the baseline.
TransEModel random_transe(std::int64_t num_entities,
                          std::int64_t num_relations,
                          int dim,
                          TransENorm norm,
                          std::uint64_t seed);

// Distances (B, N) of every entity as the tail of (heads[b], relations[b], ?);
// smaller is more plausible.
torch::Tensor transe_tail_distances(const TransEModel& m, const torch::Tensor& heads, const torch::Tensor& relations);
// Distances (B, N) of every entity as the head of (?, relations[b], tails[b]).
torch::Tensor transe_head_distances(const TransEModel& m, const torch::Tensor& relations, const torch::Tensor& tails);

struct RankMetrics {
    double mr = 0;                            // mean rank (1 = best)
    double mrr = 0;                           // mean reciprocal rank
    double hits1 = 0, hits3 = 0, hits10 = 0;  // fractions
    std::int64_t count = 0;
};
struct TransEEvaluation {
    RankMetrics head;  // predicting the head
    RankMetrics tail;  // predicting the tail
};

// Filtered ranking (Bordes et al.): other true answers found in `known`
// (train + test + ...) are removed from the candidates before ranking.
// Ties count half (the expected rank under random tie-breaking), so a
// constant model does not look perfect.
Result<TransEEvaluation> evaluate_transe(const TransEModel& model,
                                         const std::vector<Triple>& test,
                                         const std::vector<Triple>& known,
                                         const std::atomic<bool>* cancel = nullptr);

struct TripleSplit {
    std::vector<Triple> train, test;
};
// Held-out split for link prediction: about `test_fraction` of the triples,
// chosen with `seed`, but only triples whose head, tail and relation remain
// in the training part (an unseen entity has no embedding to rank).
TripleSplit split_triples(const std::vector<Triple>& triples, double test_fraction, std::uint64_t seed);

// OpenKE-style model directory: entity2id.txt, relation2id.txt,
// entity2vec.pt (state dict {"entity2vec": (N, D)}) and relation2vec.pt
// ({"relation2vec": (R, D)}), plus transe.json (norm, dim) for eval.
Status save_transe(const std::filesystem::path& dir,
                   const TransEModel& model,
                   const std::vector<std::string>& entities,
                   const std::vector<std::string>& relations);
struct LoadedTransE {
    TransEModel model;
    std::vector<std::string> entities, relations;
};
// Also reads a released entity2vec.pt (any layout read_tensor_file accepts).
Result<LoadedTransE> load_transe(const std::filesystem::path& dir);

}  // namespace shenbi
