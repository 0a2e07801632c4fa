#include "app/cli/train_flags.h"

#include <iostream>
#include <limits>
#include <vector>

#include "core/model/lora.h"
#include "core/train/finetune_plan.h"

namespace shenbi::cli {

const char* const kTrainFlags =
    "  --tables TRAIN[,VAL]          EasyNLP TSVs: idx,text,imgbase64 or "
    "idx,text,lex_id,pos_s,pos_e,token_len,imgbase64\n"
    "  --checkpoint_dir DIR          run directory: checkpoints/, metrics.csv, samples/, model/ (required)\n"
    "  --code_cache DIR              stage 2: cache the VQGAN codes of each table here, keyed by the table's bytes\n"
    "                                and the VQGAN, so runs sharing DIR encode a table once (default: cache/ in\n"
    "                                the --checkpoint_dir); DIR keeps the 8 most recently used tables' codes\n"
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
    "  --mixed_precision off|bf16    stage 2: the forward pass in bf16 autocast, weights and optimizer in fp32;\n"
    "                                needs a CPU with native bf16 (AVX512_BF16 or AMX; default off)\n"
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
    "  --disc_weight X               adversarial weight (default 0.1)\n"
    "  --decoder_only                train the decoder (and post_quant_conv) only: every image keeps its codes,\n"
    "                                so the model's GPT still fits; not with --ema_codebook\n";

namespace {

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

}  // namespace

std::optional<TrainRun> parse_train_flags(const Args& args, TrainStage stage, bool finetune) {
    TrainRun run;
    TrainOptions& o = run.options;
    o.stage = stage;
    run.flags = read_numeric_flags(args, stage, finetune, o);
    const RunFlags& flags = run.flags;
    if (!args.errors().empty()) return std::nullopt;  // main() prints them
    const auto tables = args.get_list("tables");
    run.folder = args.get("folder");
    run.triples = args.get("triples");
    const std::string& folder = run.folder;
    const std::string& triples = run.triples;
    if (!finetune && (args.has("folder") || args.has("triples") || args.has("val_fraction"))) {
        std::cerr << "error: --folder, --val_fraction and --triples belong to finetune\n";
        return std::nullopt;
    }
    if (tables.empty() == folder.empty()) {
        std::cerr << (folder.empty() ? "error: --tables TRAIN[,VAL] (or --folder DIR with finetune) is required\n"
                                     : "error: --folder and --tables: give one of them, not both\n");
        return std::nullopt;
    }
    if (!tables.empty()) o.train_tsv = tables[0];
    if (tables.size() > 1) o.val_tsv = tables[1];
    o.run_dir = args.get("checkpoint_dir");
    if (o.run_dir.empty()) {
        std::cerr << "error: --checkpoint_dir DIR is required\n";
        return std::nullopt;
    }
    if (args.has("code_cache") && (args.get("code_cache").empty() || stage != TrainStage::Gpt)) {
        // an empty value (an unset shell variable) would silently fall back to a fresh cache
        std::cerr << (stage != TrainStage::Gpt ? "error: --code_cache holds the VQGAN codes the GPT trains on (train "
                                                 "gpt, finetune), not the VQGAN's\n"
                                               : "error: --code_cache needs a directory\n");
        return std::nullopt;
    }
    o.code_cache_dir = args.get("code_cache");
    o.sample_prompts = args.get_list("prompts", '|');
    o.resume = !args.has("no_resume");
    o.save_best = !args.has("no_save_best");
    o.flip = args.has("flip");
    o.vqgan.ema_codebook = args.has("ema_codebook");
    o.vqgan.decoder_only = args.has("decoder_only");
    if (o.vqgan.decoder_only && o.vqgan.ema_codebook)
        args.error("--decoder_only keeps the codebook: it cannot be trained as an --ema_codebook");
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
            return std::nullopt;
        }
    }
    if (flags.lora_rank == 0 && (args.has("lora_alpha") || args.has("lora_targets"))) {
        std::cerr << "error: --lora_rank must be at least 1 to train LoRA adapters (0: full fine-tune)\n";
        return std::nullopt;
    }
    if (flags.lora_rank > 0) {
        LoraConfig lora;
        lora.rank = flags.lora_rank;
        lora.alpha = flags.lora_alpha;
        if (args.has("lora_targets")) lora.targets = args.get_list("lora_targets");
        if (auto st = lora.validate(); !st) {
            std::cerr << "error: " << st.message() << "\n";
            return std::nullopt;
        }
        if (stage != TrainStage::Gpt) {
            std::cerr << "error: --lora_rank trains the GPT (train gpt, finetune), not the VQGAN\n";
            return std::nullopt;
        }
        o.lora = lora;
    }
    if (auto mixed = mixed_precision_from_string(args.get("mixed_precision", "off")); !mixed) {
        std::cerr << "error: --mixed_precision: " << mixed.message() << "\n";
        return std::nullopt;
    } else if (*mixed != MixedPrecision::Off && stage != TrainStage::Gpt) {
        std::cerr << "error: --mixed_precision bf16 trains the GPT (train gpt, finetune), not the VQGAN\n";
        return std::nullopt;
    } else {
        o.mixed = *mixed;  // checked against the device with the model (check_options), before any work
    }
    if (const auto precision = args.get("precision", "fp32"); precision != "fp32" && precision != "bf16") {
        // int8 (and auto, which may mean int8) frees the fp32 weights training updates
        std::cerr << "error: --precision " << precision << ": training needs fp32 or bf16 weights\n";
        return std::nullopt;
    }
    if ((args.has("model") && args.get("model").empty()) ||
        (args.has("pretrain_model_name_or_path") && args.get("pretrain_model_name_or_path").empty())) {
        std::cerr << "error: --model needs a directory\n";
        return std::nullopt;
    }
    return run;
}

}  // namespace shenbi::cli
