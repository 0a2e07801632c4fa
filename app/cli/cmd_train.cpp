// shenbi-cli train vqgan | train gpt | finetune | train import-folder | bench train
//
// Flags follow EasyNLP's text2image example where they make sense
// (--tables, --learning_rate, --epoch_num, --micro_batch_size,
// --save_checkpoint_steps, --random_seed, --checkpoint_dir).
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include "app/cli/command.h"
#include "app/cli/model_args.h"
#include "core/data/train_data.h"
#include "core/io/model_dir.h"
#include "core/model/model_bundle.h"
#include "core/train/distributed.h"
#include "core/train/finetune_prepare.h"
#include "core/train/optim.h"
#include "core/train/step_timing.h"
#include "core/train/trainer.h"
#include "core/util/runtime.h"

extern char** environ;

namespace shenbi::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Ctrl-C (or SIGTERM) asks the run to stop: it writes a checkpoint and exits;
// a second one kills as usual.
std::atomic<bool> g_interrupted{false};
void on_sigint(int) {
    if (g_interrupted.exchange(true)) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        std::raise(SIGINT);
    }
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep))
        if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string duration(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    char buf[32];
    const long t = std::lround(s);
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

const char* const kTrainFlags =
    "  --tables TRAIN[,VAL]          EasyNLP TSVs: idx,text,imgbase64 or "
    "idx,text,lex_id,pos_s,pos_e,token_len,imgbase64\n"
    "  --checkpoint_dir DIR          run directory: checkpoints/, metrics.csv, samples/, model/ (required)\n"
    "  --learning_rate X             peak learning rate (default 4e-5 finetune, 1e-4 vqgan, 3e-4 gpt)\n"
    "  --epoch_num N                 epochs (default 2)\n"
    "  --max_steps N                 optimizer steps instead of epochs\n"
    "  --micro_batch_size N          per process (default 8)\n"
    "  --save_checkpoint_steps N     checkpoint every N steps (always at the end and on Ctrl-C)\n"
    "  --keep_checkpoints K          keep the newest K (default 3)\n"
    "  --eval_steps M                validation loss + samples every M steps and at step 0\n"
    "  --max_val_batches N           cap the validation set (default: all)\n"
    "  --early_stop_patience P       stop after P evaluations without improvement\n"
    "  --prompts 'A|B|C'             stage 2: fixed prompts sampled at every evaluation\n"
    "  --entity_mask P               stage 2: replace a linked entity's characters by [UNK] with probability P,\n"
    "                                keeping its knowledge vector (default 0)\n"
    "  --text_dropout P              stage 2: train on the empty prompt, without knowledge, with probability P,\n"
    "                                for classifier-free guidance (generate --guidance; default 0)\n"
    "  --lora_rank R                 stage 2: train LoRA adapters of rank R on the GPT's attention and MLP\n"
    "                                projections instead of the GPT (frozen); model/ and best/ hold only the\n"
    "                                adapters (a few MB) and name their base model (default 0: full fine-tune)\n"
    "  --lora_alpha A                LoRA scale alpha / rank (default 2 x rank)\n"
    "  --lora_targets a,b            projections to adapt (default all: attn.key,attn.query,attn.value,attn.proj,\n"
    "                                mlp.0,mlp.2)\n"
    "  --random_seed N               data order, flips, sampling, LoRA initialisation (default 42)\n"
    "  --warmup_proportion X         linear warm-up fraction (default 0.1)\n"
    "  --weight_decay X              AdamW weight decay on weights, not biases/norms (default 1e-4)\n"
    "  --stop_after N                stop (with a checkpoint) after N steps of this session; resume later\n"
    "  --no_resume                   start over even if DIR has checkpoints\n"
    "  --no_save_best                do not keep DIR/best (the model at the lowest validation loss)\n"
    "  --nproc N                     data-parallel processes on this machine (c10d Gloo, 127.0.0.1)\n"
    "  --rank R --world_size W --master_addr HOST --master_port P   one process of a multi-machine run\n"
    "  --local_rank L                this process's GPU on its machine with --device cuda (default: set by --nproc, "
    "else R)\n"
    "  --dist_backend auto|gloo|nccl collectives (auto: NCCL for CUDA when built with it, else Gloo)\n"
    "  --pretrain_model_name_or_path DIR   EasyNLP's name for --model\n"
    "  --folder DIR                  finetune: images with same-named .txt captions instead of --tables; split\n"
    "                                into DIR/data/train.tsv and val.tsv of the run (train check-folder's rules)\n"
    "  --val_fraction X              finetune --folder: share held out for validation (default 0.1, at most 0.5)\n"
    "  --triples FILE                finetune: your own knowledge, head<TAB>relation<TAB>tail per line; names the\n"
    "                                model's entity table lacks get TransE vectors beside the graph's\n";

const char* const kVqganFlags =
    "  --flip                        random horizontal flips\n"
    "  --ema_codebook                EMA codebook with dead-code restart\n"
    "  --disc_start N                patch discriminator from step N (default off)\n"
    "  --disc_weight X               adversarial weight (default 0.1)\n";

// Children of --nproc get the same command line with their rank appended.
int spawn_local_world(int nproc, const Args& args) {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv;
    for (std::size_t start = 0; start < raw.size();) {
        const auto end = raw.find('\0', start);
        argv.push_back(raw.substr(start, end - start));
        start = end == std::string::npos ? raw.size() : end + 1;
    }
    // drop --nproc N / --nproc=N
    std::vector<std::string> base;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--nproc") {
            ++i;
            continue;
        }
        if (argv[i].rfind("--nproc=", 0) == 0) continue;
        base.push_back(argv[i]);
    }
    const std::string port = args.get("master_port", std::to_string(29500 + (::getpid() % 1000)));
    const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<pid_t> pids;
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> a = base;
        a.insert(a.end(), {"--rank", std::to_string(r), "--local_rank", std::to_string(r), "--world_size",
                           std::to_string(nproc), "--master_addr", "127.0.0.1", "--master_port", port});
        std::vector<char*> cargv;
        for (auto& s : a) cargv.push_back(s.data());
        cargv.push_back(nullptr);
        pid_t pid = 0;
        if (::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, cargv.data(), environ) != 0) {
            std::cerr << "error: cannot start rank " << r << "\n";
            for (pid_t p : pids) ::kill(p, SIGTERM);
            return 1;
        }
        pids.push_back(pid);
    }
    std::signal(SIGINT, SIG_IGN);  // the children get Ctrl-C themselves and checkpoint
    int rc = 0;
    for (std::size_t done = 0; done < pids.size(); ++done) {
        int status = 0;
        const pid_t pid = ::wait(&status);
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok && rc == 0) {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
            // A dead rank would leave the others waiting in a collective.
            for (pid_t p : pids)
                if (p != pid) ::kill(p, SIGTERM);
        }
    }
    return rc;
}

// The numeric flags of a run that are not TrainOptions fields.
struct RunFlags {
    int nproc = 1;
    long long local_rank = 0;
    int threads = 0;  // 0: all cores
    std::uint64_t seed_weights = 42;
    int lora_rank = 0;  // 0: full fine-tune
    double lora_alpha = 0;
    double val_fraction = 0.1;
};

// Every numeric flag of train vqgan|gpt and finetune, parsed and range-checked
// before any work; a value outside its range is an error in args.errors(),
// never replaced. The ranges are the finetune wizard's (core/train/finetune_plan.cpp)
// where it has the flag, so that what it runs and what the CLI takes agree.
RunFlags read_numeric_flags(const Args& args, TrainStage stage, bool finetune, TrainOptions& o) {
    constexpr long long kMaxSteps = 10'000'000;
    const double default_lr = finetune ? 4e-5 : stage == TrainStage::Vqgan ? 1e-4 : 3e-4;
    o.optim.learning_rate = args.get_double("learning_rate", default_lr, Bounds::left_open(0, 1));
    o.optim.warmup_fraction = args.get_double("warmup_proportion", 0.1, Bounds::right_open(0, 1));
    o.optim.weight_decay = args.get_double("weight_decay", 1e-4, Bounds::at_least(0));
    o.epochs = static_cast<int>(args.get_int("epoch_num", 2, 1, 10000));
    // Not given: 0, the trainer's "use the epochs" / "no stop"; a 0 given would be silently ignored.
    o.max_steps = args.get_int("max_steps", 0, 1, kMaxSteps);
    o.stop_after = args.get_int("stop_after", 0, 1, kMaxSteps);
    o.micro_batch = static_cast<int>(args.get_int("micro_batch_size", 8, 1, 1024));
    // 0 means something here (at the end only, the whole set, off), and the wizard passes it.
    o.save_every = static_cast<int>(args.get_int("save_checkpoint_steps", 0, 0, kMaxSteps));
    o.eval_every = static_cast<int>(args.get_int("eval_steps", o.save_every, 0, kMaxSteps));
    o.max_val_batches = static_cast<int>(args.get_int("max_val_batches", 0, 0, kMaxSteps));
    o.early_stop_patience = static_cast<int>(args.get_int("early_stop_patience", 0, 0, 10000));
    o.keep_last = static_cast<int>(args.get_int("keep_checkpoints", 3, 1, 10000));
    o.seed = args.get_u64("random_seed", 42);
    o.entity_mask = args.get_double("entity_mask", 0, Bounds::closed(0, 1));
    o.text_dropout = args.get_double("text_dropout", 0, Bounds::right_open(0, 1));  // 1 would never see a prompt
    o.vqgan.disc_start = args.get_int("disc_start", -1, 0, std::numeric_limits<long long>::max());  // -1: off
    o.vqgan.disc_weight = args.get_double("disc_weight", 0.1, Bounds::at_least(0));
    o.dist.world_size = static_cast<int>(args.get_int("world_size", 1, 1, 65536));
    o.dist.rank = static_cast<int>(args.get_int("rank", 0, 0, 65535));
    if (o.dist.rank >= o.dist.world_size)
        args.error("--rank must be below --world_size (" + args.get("world_size", "1") + "), got " + args.get("rank"));
    o.dist.master_port = static_cast<int>(args.get_int("master_port", 29500, 1, 65535));
    RunFlags f;
    f.nproc = static_cast<int>(args.get_int("nproc", 1, 1, 256));  // processes, each with its own model
    f.local_rank = args.get_int("local_rank", o.dist.rank, 0, 65535);
    f.threads = threads_flag(args);
    f.seed_weights = args.get_u64("seed-weights", o.seed);
    f.lora_rank = static_cast<int>(args.get_int("lora_rank", 0, 0, 256));
    f.lora_alpha = args.get_double("lora_alpha", 2.0 * f.lora_rank, Bounds::above(0));
    f.val_fraction = args.get_double("val_fraction", 0.1, Bounds::closed(0, 0.5));
    return f;
}

int run_training(const Args& args, TrainStage stage, bool finetune) {
    TrainOptions o;
    o.stage = stage;
    const RunFlags flags = read_numeric_flags(args, stage, finetune, o);
    if (!args.errors().empty()) return 2;  // main() prints them
    const auto tables = split(args.get("tables"), ',');
    const std::string folder = args.get("folder"), triples = args.get("triples");
    if (!finetune && (args.has("folder") || args.has("triples") || args.has("val_fraction"))) {
        std::cerr << "error: --folder, --val_fraction and --triples belong to finetune\n";
        return 2;
    }
    if (tables.empty() == folder.empty()) {
        std::cerr << (folder.empty() ? "error: --tables TRAIN[,VAL] (or --folder DIR with finetune) is required\n"
                                     : "error: --folder and --tables: give one of them, not both\n");
        return 2;
    }
    if (!tables.empty()) o.train_tsv = tables[0];
    if (tables.size() > 1) o.val_tsv = tables[1];
    o.run_dir = args.get("checkpoint_dir");
    if (o.run_dir.empty()) {
        std::cerr << "error: --checkpoint_dir DIR is required\n";
        return 2;
    }
    o.sample_prompts = split(args.get("prompts"), '|');
    o.resume = !args.has("no_resume");
    o.save_best = !args.has("no_save_best");
    o.flip = args.has("flip");
    o.vqgan.ema_codebook = args.has("ema_codebook");
    o.dist.master_addr = args.get("master_addr", "127.0.0.1");
    o.dist.backend = args.get("dist_backend", "auto");
    if (!folder.empty() || !triples.empty()) {  // the wizard's rules (finetune_plan.h)
        FinetunePlan plan;
        plan.folder = folder;
        if (folder.empty()) plan.train_tsv = o.train_tsv;
        plan.val_fraction = flags.val_fraction;
        plan.triples = triples;
        for (const auto& e : validate_plan_data(plan)) {
            std::cerr << "error: " << e << "\n";
            return 2;
        }
    }
    if (flags.lora_rank == 0 && (args.has("lora_alpha") || args.has("lora_targets"))) {
        std::cerr << "error: --lora_rank must be at least 1 to train LoRA adapters (0: full fine-tune)\n";
        return 2;
    }
    if (flags.lora_rank > 0) {
        LoraConfig lora;
        lora.rank = flags.lora_rank;
        lora.alpha = flags.lora_alpha;
        if (args.has("lora_targets")) lora.targets = split(args.get("lora_targets"), ',');
        if (auto st = lora.validate(); !st) {
            std::cerr << "error: " << st.message() << "\n";
            return 2;
        }
        if (stage != TrainStage::Gpt) {
            std::cerr << "error: --lora_rank trains the GPT (train gpt, finetune), not the VQGAN\n";
            return 2;
        }
        o.lora = lora;
    }
    if ((args.has("model") && args.get("model").empty()) ||
        (args.has("pretrain_model_name_or_path") && args.get("pretrain_model_name_or_path").empty())) {
        std::cerr << "error: --model needs a directory\n";
        return 2;
    }
    if (flags.nproc > 1) {
        if (!distributed_available()) {
            std::cerr << "error: this build has no distributed training (SHENBI_WITH_DISTRIBUTED)\n";
            return 1;
        }
        return spawn_local_world(flags.nproc, args);
    }

    const bool rank0 = o.dist.rank == 0;
    // Each rank of a multi-GPU run takes its own GPU: cuda:<local_rank>.
    std::string device = args.get("device", "auto");
    if (o.dist.world_size > 1 && (device == "cuda" || device == "auto") && torch::cuda::is_available()) {
        device = "cuda:" + std::to_string(flags.local_rank % static_cast<long long>(torch::cuda::device_count()));
    }
    // The model to train: a directory (Shenbi or EasyNLP), or a preset with
    // random weights when training from scratch.
    const std::string precision = args.get("precision", "fp32");
    std::string dir = args.has("model") ? args.get("model") : args.get("pretrain_model_name_or_path");
    if (finetune && dir.empty()) {  // fine-tuning with no --model adapts the bundled model
        auto bundled = model_dir_from_args(args);
        if (!bundled) {
            std::cerr << "error: " << bundled.message() << "\n";
            return 2;
        }
        dir = *bundled;
    }
    std::vector<std::string> model_flags =
        !dir.empty() ? std::vector<std::string>{"--model", dir}
                     : std::vector<std::string>{"--preset", args.get("preset", "small"), "--random-weights",
                                                "--seed-weights", std::to_string(flags.seed_weights)};
    model_flags.insert(model_flags.end(), {"--device", device, "--precision", precision});
    // Not given: all cores. "--threads 0" would be refused, into this inner Args's errors(), printed by no one.
    if (flags.threads > 0) model_flags.insert(model_flags.end(), {"--threads", std::to_string(flags.threads)});
    std::shared_ptr<ModelBundle> model;
    auto loaded = load_model_from_args(Args(model_flags));
    if (!loaded) {
        std::cerr << "error: " << loaded.message() << "\n";
        return 1;
    }
    model = *loaded;
    if (stage == TrainStage::Gpt) {
        if (auto base = prepare_base(*model, o.lora.has_value()); !base) {
            std::cerr << "error: " << base.message() << "\n";
            return 2;
        }
    }
    // The wizard's data preparation; every rank makes the same split (same folder, fraction and seed).
    const MessageFn say = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    if (auto prepared =
            prepare_finetune_data(folder, flags.val_fraction, triples, *model, o, rank0 ? say : MessageFn());
        !prepared) {
        std::cerr << "error: " << prepared.message() << "\n";
        return 1;
    }

    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);  // a service manager or `kill` stops it the same way: with a checkpoint
    const bool tty = isatty(fileno(stderr));
    auto last_print = Clock::now() - std::chrono::hours(1);
    bool bar_open = false;
    TrainHooks hooks;
    hooks.cancel = &g_interrupted;
    hooks.on_message = [&](const std::string& m) {
        if (bar_open) std::fputc('\n', stderr);
        bar_open = false;
        std::fprintf(stderr, "%s\n", m.c_str());
    };
    hooks.on_step = [&](const StepEvent& e) {
        if (!rank0) return;
        const auto now = Clock::now();
        if (!tty && e.step != e.total_steps && now - last_print < std::chrono::seconds(10)) return;
        last_print = now;
        const int width = 24;
        const int filled = static_cast<int>(e.step * width / std::max<std::int64_t>(1, e.total_steps));
        std::fprintf(stderr, "%s[%s%s] %lld/%lld ep %lld loss %.4f lr %.2e %.0f tok/s ETA %s%s", tty ? "\r" : "",
                     std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                     static_cast<long long>(e.step), static_cast<long long>(e.total_steps),
                     static_cast<long long>(e.epoch), e.loss, e.lr, e.tokens_per_s, duration(e.eta_s).c_str(),
                     tty ? "  " : "\n");
        bar_open = tty;
    };
    auto result = train(*model, o, hooks);
    if (bar_open) std::fputc('\n', stderr);
    if (!result) {
        std::cerr << (result.error().code == ErrorCode::Cancelled ? "stopped: " : "error: ") << result.message()
                  << "\n";
        return result.error().code == ErrorCode::Cancelled ? 130 : 1;
    }
    if (rank0) {
        const auto& s = *result;
        std::printf("steps %lld/%lld, last loss %.4f", static_cast<long long>(s.steps),
                    static_cast<long long>(s.total_steps), s.last_loss);
        if (s.first_val_loss >= 0)
            std::printf(", validation loss %.4f -> %.4f (best %.4f)", s.first_val_loss, s.last_val_loss,
                        s.best_val_loss);
        std::printf("%s\n", s.early_stopped ? " (early stop)" : "");
        std::printf("bad rows: %zu\n", s.bad_rows.size());
        for (const auto& b : s.bad_rows) std::printf("  %s: %s\n", b.where().c_str(), b.reason.c_str());
        std::printf("checkpoint: %s\n", s.last_checkpoint.c_str());
        if (!s.model_dir.empty()) std::printf("model: %s\n", s.model_dir.c_str());
        if (!s.best_model_dir.empty())
            std::printf("best model: %s (validation loss %.4f)\n", s.best_model_dir.c_str(), s.best_val_loss);
    }
    return 0;
}

int run_import_folder(const Args& args) {
    const std::string folder = args.get("folder"), out = args.get("out");
    if (folder.empty() || out.empty()) {
        std::cerr << "error: --folder DIR and --out FILE.tsv are required\n";
        return 2;
    }
    auto r = folder_to_tsv(folder, out);
    if (!r) {
        std::cerr << "error: " << r.message() << "\n";
        return 1;
    }
    for (const auto& s : r->skipped) std::cerr << "skipped " << s.file << ": " << s.reason << "\n";
    std::printf("%lld rows written to %s, %zu files skipped\n", static_cast<long long>(r->rows), out.c_str(),
                r->skipped.size());
    return 0;
}

// What a fine-tune folder holds before anything trains: each problem naming
// its file, captions longer than the model reads, the image sizes.
int run_check_folder(const Args& args) {
    const std::string folder = args.get("folder");
    if (folder.empty()) {
        std::cerr << "error: --folder DIR is required\n";
        return 2;
    }
    if (!args.errors().empty()) return 2;
    if (std::error_code ec; !std::filesystem::is_directory(folder, ec)) {  // before loading any model
        std::cerr << "error: --folder " << folder << " is not a directory\n";
        return 2;
    }
    FolderCheckOptions o;
    std::shared_ptr<ModelBundle> model;
    if (auto dir = model_dir_from_args(args); dir) {  // the model's tokenizer, text length and resolution
        auto loaded = load_model_dir(*dir, c10::kCPU);
        if (!loaded) {
            std::cerr << "error: " << loaded.message() << "\n";
            return 1;
        }
        model = *loaded;
        o.tokenizer = model->tokenizer.get();
        o.text_len = model->config.gpt.text_len;
        o.resolution = model->config.vqgan.resolution;
    }
    auto report = check_image_folder(folder, o);
    if (!report) {
        std::cerr << "error: " << report.message() << "\n";
        return 1;
    }
    for (const auto& item : report->items) {
        for (const auto& p : item.problems) std::printf("left out  %s: %s\n", item.image.c_str(), p.c_str());
        for (const auto& w : item.warnings) std::printf("warning   %s: %s\n", item.caption_file.c_str(), w.c_str());
    }
    std::printf("%zu images, %lld usable, %lld left out; sizes %s\n", report->items.size(),
                static_cast<long long>(report->usable()),
                static_cast<long long>(static_cast<std::int64_t>(report->items.size()) - report->usable()),
                report->sizes.empty() ? "none" : report->sizes.c_str());
    return report->usable() > 0 ? 0 : 1;
}

// One stage-2 optimizer step as train() does it (forward, CE on the image
// positions, backward, clip, AdamW) on random ids, timed after a warm-up step.
int run_bench_train(const Args& args) {
    const int threads = threads_flag(args);
    const int steps = static_cast<int>(args.get_int("steps", 3, 1, 10000));
    const int batch_small = static_cast<int>(args.get_int("batch_small", 8, 1, 1024));
    const int batch_base = static_cast<int>(args.get_int("batch_base", 1, 1, 1024));
    if (!args.errors().empty()) return 2;  // before any model is made
    set_compute_threads(threads);
    const std::string only = args.get("preset");
    std::vector<std::pair<std::string, int>> runs{
        {"small", batch_small}, {"scene", batch_small}, {"artist-base", batch_base}};
    std::printf("threads %d, %d timed steps after 1 warm-up, fp32, AdamW\n", compute_threads(), steps);
    std::printf("%-12s %6s %6s %10s %12s %12s %12s\n", "preset", "batch", "seq", "params(M)", "s/step", "tokens/s",
                "peak RSS MB");
    for (const auto& [preset, batch] : runs) {
        if (!only.empty() && only != preset) continue;
        auto model = make_random_bundle(ModelConfig::preset(preset).value(), 1);
        StepTimingOptions timing;
        timing.micro_batch = batch;
        timing.steps = steps;
        auto t = time_train_steps(*model, timing);
        if (!t) {
            std::cerr << "error: " << preset << ": " << t.message() << "\n";
            return 1;
        }
        const double tokens = static_cast<double>(batch) * static_cast<double>(t->sequence);
        std::printf("%-12s %6d %6lld %10.1f %12.3f %12.0f %12.0f\n", preset.c_str(), batch,
                    static_cast<long long>(t->sequence), t->trained_parameters / 1e6, t->seconds_per_step,
                    tokens / t->seconds_per_step, peak_rss_mb());
        std::fflush(stdout);
    }
    return 0;
}

const std::string kTrainUsage = std::string(kTrainFlags) + kModelFlagsUsage;

SHENBI_COMMAND("train vqgan",
               "train the VQGAN first stage (L1 + codebook, optional EMA / discriminator)",
               std::string("shenbi-cli train vqgan --tables train.tsv,val.tsv --checkpoint_dir runs/vq [--preset small "
                           "| --model DIR]\n\n") +
                   kTrainUsage + kVqganFlags,
               [](const Args& a) { return run_training(a, TrainStage::Vqgan, false); });
SHENBI_COMMAND(
    "train gpt",
    "train the knowledge GPT on frozen VQGAN codes (cached per table)",
    std::string(
        "shenbi-cli train gpt --tables train.tsv,val.tsv --checkpoint_dir runs/gpt --model DIR_WITH_VQGAN\n\n") +
        kTrainUsage,
    [](const Args& a) { return run_training(a, TrainStage::Gpt, false); });
SHENBI_COMMAND(
    "finetune",
    "fine-tune the GPT of a model directory (EasyNLP recipe: lr 4e-5, 2 epochs, batch 8)",
    std::string("shenbi-cli finetune --model DIR --tables train.tsv,val.tsv --checkpoint_dir runs/ft [--nproc 2]\n\n") +
        kTrainUsage,
    [](const Args& a) { return run_training(a, TrainStage::Gpt, true); });
SHENBI_COMMAND("train import-folder",
               "images with same-named .txt captions -> training TSV (idx, text, imgbase64)",
               "shenbi-cli train import-folder --folder DIR --out train.tsv",
               run_import_folder);
SHENBI_COMMAND("train check-folder",
               "check a fine-tune folder (images + same-named .txt captions) before training: every problem by file",
               "shenbi-cli train check-folder --folder DIR [--model DIR]\n"
               "  Names unreadable or truncated images, missing or empty captions, duplicate images, captions\n"
               "  longer than the model's text context, and how the image sizes are resized (the model: --model,\n"
               "  else the bundled one). Exit 1 when no image is usable.",
               run_check_folder);
SHENBI_COMMAND("bench train",
               "tokens/s and peak RSS of a GPT stage-2 training step (small, scene, artist-base)",
               "shenbi-cli bench train [--preset small|scene|artist-base] [--steps 3] [--batch_small 8] [--batch_base "
               "1] [--threads N]",
               run_bench_train);

}  // namespace
}  // namespace shenbi::cli
