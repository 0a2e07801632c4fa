// Knowledge commands: preprocess (entity lattice for knowledge TSVs), link
// (entities in a prompt), transe train|eval, vocab build.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <utility>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/data/tsv_reader.h"
#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/knowledge/knowledge_graph.h"
#include "core/knowledge/linker.h"
#include "core/knowledge/preprocess.h"
#include "core/knowledge/transe.h"
#include "core/text/tokenizer.h"
#include "core/text/utf8.h"
#include "core/text/vocab_builder.h"
#include "core/util/resources.h"

namespace shenbi::cli {
namespace {

namespace fs = std::filesystem;

std::optional<TransENorm> parse_norm(const std::string& s) {
    if (s == "L1" || s == "l1" || s == "1") return TransENorm::L1;
    if (s == "L2" || s == "l2" || s == "2") return TransENorm::L2;
    return std::nullopt;
}

void print_metrics(const char* what, const RankMetrics& m) {
    std::printf("%-5s n=%-6lld MR %8.1f  MRR %.4f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f\n", what,
                static_cast<long long>(m.count), m.mr, m.mrr, m.hits1, m.hits3, m.hits10);
}

int run_preprocess(const Args& a) {
    const std::string in = a.get("input_file"), map = a.get("entity_map_file"), out = a.get("output_file"),
                      vocab = a.get("vocab");
    if (in.empty() || map.empty() || out.empty())
        return fail("preprocess", "--input_file, --entity_map_file and --output_file are required");
    auto table = EntityTable::load_names(map);
    if (!table) return fail("preprocess", table.message());
    std::optional<BertTokenizer> tok;
    if (!vocab.empty()) {
        auto t = BertTokenizer::from_file(vocab);
        if (!t) return fail("preprocess", t.message());
        tok = std::move(*t);
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto report = preprocess_knowledge_tsv(in, *table, tok ? &*tok : nullptr, out,
                                           [](const std::string& p) { std::cerr << "skipped " << p << "\n"; });
    if (!report) return fail("preprocess", report.message());
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "rows read %lld, written %lld, skipped %lld; %lld rows with entities, %lld entity spans; %.1f s -> %s\n",
        static_cast<long long>(report->rows_read), static_cast<long long>(report->rows_written),
        static_cast<long long>(report->rows_skipped), static_cast<long long>(report->rows_with_entities),
        static_cast<long long>(report->entities), secs, out.c_str());
    return report->rows_skipped > 0 && a.has("strict") ? 1 : 0;
}

// Whether one-character names are linked: --single_chars on|off, else the
// rule of --model DIR or of the bundled model (model.json
// gpt.single_char_entities), so that `link` shows what that model gets.
Result<std::pair<bool, std::string>> single_char_rule(const Args& a) {
    if (a.has("single_chars")) {
        const std::string v = a.get("single_chars");
        if (v != "on" && v != "off")
            return make_error(ErrorCode::InvalidArgument, "--single_chars must be on or off, not '" + v + "'");
        return std::pair(v == "on", std::string("--single_chars ") + v);
    }
    const auto model = a.has("model") ? std::optional<fs::path>(a.get("model")) : default_model_dir();
    if (!model) return std::pair(false, std::string("no model: ARTIST's rule"));
    if (std::error_code ec; !fs::exists(*model / "model.json", ec)) {
        if (a.has("model")) return make_error(ErrorCode::NotFound, "--model: no model.json in " + model->string());
        return std::pair(false, "ARTIST's rule (" + model->string() + " has no model.json)");
    }
    auto config = read_model_config(*model);
    if (!config) return config.error();
    return std::pair(config->gpt.single_char_entities, "as model " + config->name + " (" + model->string() + ")");
}

int run_link(const Args& a) {
    if (a.positional().empty()) return fail("link", "usage: shenbi-cli link TEXT [--graph DIR] [--neighbours N]");
    const int max_n = static_cast<int>(a.get_int("neighbours", 8, 0, 10000));
    // Prompts that are not UTF-8 are refused like bad flag values, before the
    // graph is read, with `generate`'s message (check_utf8).
    const auto& texts = a.positional();
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string what = texts.size() == 1 ? "the prompt" : "prompt " + std::to_string(i + 1);
        if (auto st = check_utf8(texts[i], what); !st.ok()) a.error(st.message());
    }
    if (!a.errors().empty()) return 2;  // main() prints them
    const auto rule = single_char_rule(a);
    if (!rule) {
        fail("link", rule.message());
        return rule.error().code == ErrorCode::InvalidArgument ? 2 : 1;  // a bad flag value, as Args reports them
    }
    const fs::path dir = a.has("graph") ? fs::path(a.get("graph")) : default_graph_dir();
    auto linker = EntityLinker::load(dir);
    if (!linker) return fail("link", linker.message());
    std::cerr << "one-character names " << (rule->first ? "linked" : "not linked") << ", " << rule->second << "\n";
    for (const std::string& text : a.positional()) {
        const auto found = linker->link(text, max_n, rule->first);
        std::printf("%s\n%zu entities\n", text.c_str(), found.size());
        for (const LinkedEntity& e : found) {
            std::printf("  [%d,%d) %s  (id %lld)\n", e.char_begin, e.char_end, e.name.c_str(),
                        static_cast<long long>(e.id));
            for (const Neighbour& n : e.neighbours) {
                if (n.outgoing)
                    std::printf("      %s --%s--> %s\n", e.name.c_str(), n.relation.c_str(), n.other.c_str());
                else
                    std::printf("      %s --%s--> %s\n", n.other.c_str(), n.relation.c_str(), e.name.c_str());
            }
        }
    }
    return 0;
}

struct GraphSplit {
    KnowledgeGraph graph;
    TripleSplit split;
};

// The held-out split: --test_fraction and --split_seed, read before any work.
struct SplitFlags {
    double test_fraction = 0.05;
    std::uint64_t seed = 7;
};

SplitFlags read_split_flags(const Args& a) {
    return {a.get_double("test_fraction", 0.05, Bounds::right_open(0, 1)), a.get_u64("split_seed", 7)};
}

Result<GraphSplit> load_split(const Args& a, const SplitFlags& f, const std::vector<std::string>& entity_order) {
    const std::string triples = a.has("triples") ? a.get("triples") : (default_graph_dir() / "triples.tsv").string();
    int problems = 0;
    auto g = KnowledgeGraph::load(triples, entity_order, [&](const std::string& p) {
        if (++problems <= 20) std::cerr << "skipped " << p << "\n";
    });
    if (!g) return g.error();
    TripleSplit s = split_triples(g->triples(), f.test_fraction, f.seed);
    std::printf("%zu triples (%d rows skipped), %zu entities, %zu relations; train %zu, held-out %zu\n",
                g->triples().size(), problems, g->entities().size(), g->relations().size(), s.train.size(),
                s.test.size());
    return GraphSplit{std::move(*g), std::move(s)};
}

int run_transe_train(const Args& a) {
    const std::string out = a.get("out_dir");
    if (out.empty()) return fail("transe train", "--out_dir is required");
    // Every numeric flag, range-checked before the graph is read.
    TransEConfig cfg;
    cfg.dim = static_cast<int>(a.get_int("dim", cfg.dim, 1, 10000));
    cfg.epochs = static_cast<int>(a.get_int("epochs", cfg.epochs, 1, 1000000));
    cfg.batch_size = static_cast<int>(a.get_int("batch_size", cfg.batch_size, 1, 10000000));
    cfg.negatives = static_cast<int>(a.get_int("negatives", cfg.negatives, 1, 1000));
    cfg.learning_rate = a.get_double("lr", cfg.learning_rate, Bounds::above(0));
    cfg.margin = a.get_double("margin", cfg.margin, Bounds::above(0));
    cfg.seed = a.get_u64("seed", cfg.seed);
    cfg.threads = threads_flag(a, 2);
    const SplitFlags split = read_split_flags(a);
    if (!a.errors().empty()) return 2;  // main() prints them
    cfg.bernoulli = a.get("sampling", "bern") != "unif";
    const auto norm = parse_norm(a.get("norm", "L1"));
    if (!norm) return fail("transe train", "--norm must be L1 or L2");
    cfg.norm = *norm;
    auto data = load_split(a, split, {});
    if (!data) return fail("transe train", data.message());
    // --test_fraction 0 trains on everything (the bundled table's choice is
    // recorded in data/README.md).
    const auto t0 = std::chrono::steady_clock::now();
    const int every = std::max(1, cfg.epochs / 10);
    auto model =
        train_transe(data->split.train, static_cast<std::int64_t>(data->graph.entities().size()),
                     static_cast<std::int64_t>(data->graph.relations().size()), cfg, [&](const TransEProgress& p) {
                         if (p.epoch % every == 0 || p.epoch == p.epochs)
                             std::printf("epoch %4d/%d  loss %.4f  %.1f s\n", p.epoch, p.epochs, p.mean_loss,
                                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
                         std::fflush(stdout);
                     });
    if (!model) return fail("transe train", model.message());
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto st = save_transe(out, *model, data->graph.entities(), data->graph.relations());
    if (!st) return fail("transe train", st.message());
    std::printf("trained in %.1f s; wrote %s/{entity2id.txt,relation2id.txt,entity2vec.pt,relation2vec.pt}\n", secs,
                out.c_str());
    if (!data->split.test.empty() && !a.has("no_eval")) {
        auto ev = evaluate_transe(*model, data->split.test, data->split.train);
        if (!ev) return fail("transe train", ev.message());
        std::printf("held-out, filtered:\n");
        print_metrics("head", ev->head);
        print_metrics("tail", ev->tail);
    }
    return 0;
}

int run_transe_eval(const Args& a) {
    const SplitFlags split = read_split_flags(a);
    const std::uint64_t random_seed = a.get_u64("seed", 1);
    if (!a.errors().empty()) return 2;  // main() prints them, before any file is read
    const std::string dir = a.get("model_dir");
    if (dir.empty()) return fail("transe eval", "--model_dir is required");
    auto loaded = load_transe(dir);
    if (!loaded) return fail("transe eval", loaded.message());
    // The split is recomputed from the same triples, fraction and seed as
    // training, with ids fixed by the model's entity2id.txt.
    auto data = load_split(a, split, loaded->entities);
    if (!data) return fail("transe eval", data.message());
    for (std::size_t i = 0; i < data->graph.relations().size(); ++i)
        if (i >= loaded->relations.size() || loaded->relations[i] != data->graph.relations()[i])
            return fail("transe eval", "relation ids of the triples differ from " + dir + "/relation2id.txt");
    if (data->graph.entities().size() > static_cast<std::size_t>(loaded->model.entities.size(0)))
        return fail("transe eval", "the triples name entities the model does not have");
    auto ev = evaluate_transe(loaded->model, data->split.test, data->split.train);
    if (!ev) return fail("transe eval", ev.message());
    std::printf("held-out, filtered (%s, dim %lld):\n", loaded->model.norm == TransENorm::L1 ? "L1" : "L2",
                static_cast<long long>(loaded->model.entities.size(1)));
    print_metrics("head", ev->head);
    print_metrics("tail", ev->tail);
    if (a.has("random")) {
        const TransEModel rnd =
            random_transe(loaded->model.entities.size(0), loaded->model.relations.size(0),
                          static_cast<int>(loaded->model.entities.size(1)), loaded->model.norm, random_seed);
        auto rv = evaluate_transe(rnd, data->split.test, data->split.train);
        if (!rv) return fail("transe eval", rv.message());
        std::printf("random (untrained) baseline:\n");
        print_metrics("head", rv->head);
        print_metrics("tail", rv->tail);
    }
    return 0;
}

int run_vocab_build(const Args& a) {
    const auto min_count = a.get_int("min_count", 1, 1, std::numeric_limits<long long>::max());
    const auto max_size = a.get_int("max_size", 0, 0, std::numeric_limits<long long>::max());  // 0: no cap
    if (!a.errors().empty()) return 2;  // main() prints them, before any file is read
    const std::string out = a.get("output_file");
    if (out.empty()) return fail("vocab build", "--output_file is required");
    VocabBuilder b;
    // Captions: column 2 of EasyNLP TSVs (idx, text, ...).
    std::string captions = a.get("input_file");
    std::int64_t rows = 0;
    if (!captions.empty()) {
        auto reader = TsvReader::open(captions);
        if (!reader) return fail("vocab build", reader.message());
        TsvRow row;
        while (reader->next(row))
            if (row.fields.size() >= 2) {
                b.add_text(row.fields[1]);
                ++rows;
            }
    }
    const std::string graph = a.get("triples");
    if (!graph.empty()) {
        auto g = KnowledgeGraph::load(graph);
        if (!g) return fail("vocab build", g.message());
        for (const auto& name : g->entities()) b.add_text(name);
    }
    const auto vocab = b.build(min_count, static_cast<std::size_t>(max_size));
    auto st = write_vocab(out, vocab);
    if (!st) return fail("vocab build", st.message());
    std::printf("%lld caption rows, %zu distinct characters -> %zu entries in %s\n", static_cast<long long>(rows),
                b.distinct_chars(), vocab.size(), out.c_str());
    return 0;
}

}  // namespace

SHENBI_COMMAND("preprocess",
               "add ARTIST's entity lattice columns to a TSV (knowledge models)",
               "--input_file F       idx<TAB>text[<TAB>imgbase64] rows\n"
               "--entity_map_file F  entity2id.txt (OpenKE: count line, then name<TAB>id)\n"
               "--output_file F      idx, text, lex_id, pos_s, pos_e, token_len[, imgbase64]\n"
               "--vocab F            vocab.txt for WordPiece token_len (default: basic tokens)\n"
               "--strict             exit 1 when any row was skipped",
               run_preprocess);
SHENBI_COMMAND("link",
               "entities of a prompt, with spans and graph neighbours",
               "TEXT...              prompts\n"
               "--graph DIR          triples.tsv + entity2id.txt (default: the bundled graph)\n"
               "--neighbours N       neighbours shown per entity (8)\n"
               "--model DIR          link as this model does (one-character names or not; default: the bundled model)\n"
               "--single_chars on|off  link one-character names (猫, 龙) or not, whatever the model",
               run_link);
SHENBI_COMMAND("transe train",
               "train TransE entity embeddings on a triples TSV",
               "--triples F          head<TAB>relation<TAB>tail (default: the bundled graph)\n"
               "--out_dir D          writes entity2id.txt, relation2id.txt, entity2vec.pt, relation2vec.pt\n"
               "--dim 100 --epochs 300 --batch_size 4096 --negatives 4 --lr 0.01 --margin 4\n"
               "--norm L1|L2 --sampling bern|unif --seed 1 --threads 2\n"
               "--test_fraction 0.05 --split_seed 7   held-out split (0: train on everything)\n"
               "--no_eval            skip the held-out evaluation",
               run_transe_train);
SHENBI_COMMAND("transe eval",
               "filtered MR, MRR, Hits@1/3/10 of a TransE model on the held-out split",
               "--model_dir D        a `transe train` output (or released entity2vec.pt + relation2vec.pt + id files)\n"
               "--triples F          the triples it was trained on (default: the bundled graph)\n"
               "--test_fraction 0.05 --split_seed 7   must match training\n"
               "--random             also evaluate an untrained model (baseline)\n"
               "--seed 1             seed of the --random baseline",
               run_transe_eval);
SHENBI_COMMAND("vocab build",
               "vocab.txt for Shenbi's own models (BERT layout, characters by frequency)",
               "--input_file F       caption TSV (idx, text, ...)\n"
               "--triples F          add the graph's entity names\n"
               "--output_file F --min_count 1 --max_size 0",
               run_vocab_build);

}  // namespace shenbi::cli
