#!/bin/sh
# Trains Shenbi's bundled default model, start to finish, from offline data:
#
#   1. data    the scene corpus (data/corpus: five emoji styles, flags, Tux
#              Paint stamps, 16,000 synthesised scenes; 64 px)  -> data/cache/corpus
#   2. vocab   characters of the captions and of the bundled graph's entities
#   3. vqgan   stage 1, preset `scene` (64 px, f4: 16 x 16 codes, 1,024 entries),
#              EMA codebook, flips
#   4. base    `model new --preset scene`: that VQGAN + the vocabulary + the
#              bundled TransE entity table, lattice fusion, a fresh GPT (6 x 256)
#   5. gpt     stage 2 on the VQGAN's codes, entities linked per caption, with
#              entity-token masking (the knowledge technique; see
#              docs/default-model.md for the ablation that chose it), bf16
#   6. focus   the GPT trained on, on scenes only: data/corpus/scene_mixture.py's
#              table (the 16,000 scenes + the single images of the judge's
#              classes), then the same table over a corpus with 64,000 scenes
#              (the same seeds, held-out sets and evaluation prompts; scenes
#              16,000 and on are new combinations), three times: 1,200 steps,
#              then 1,750 and 2,000 more, each with the learning rate warmed up
#              again. Compositions, counts and colours come from these steps
#              (docs/default-model.md)
#   7. export  fp16 -> resources/models/default (what the studio loads first);
#              graph aliases no caption names take the vector of the entity
#              they name (--fold_aliases); best of 4 recommended
#
# Every stage resumes: re-running continues an interrupted run from its last
# checkpoint and skips finished stages. UNTIL=vqgan|base|gpt|focus stops after
# that stage. Steps and threads come from the environment (VQ_STEPS, GPT_STEPS,
# FOCUS_STEPS, WIDE_STEPS, WIDE2_STEPS, WIDE3_STEPS, THREADS); the defaults
# take about 1 h 10 min (VQGAN) + 1 h 40 min (GPT) + 3 h 10 min (focus) on 2
# idle cores.
#
# usage: scripts/train-default-model.sh [RUN_DIR]     (default: runs/scene)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
run=${1:-$root/runs/scene}
cli=${SHENBI_CLI:-$root/build/bin/shenbi-cli}
threads=${THREADS:-2}
vq_steps=${VQ_STEPS:-2500}
gpt_steps=${GPT_STEPS:-4500}
focus_steps=${FOCUS_STEPS:-800}
wide_steps=${WIDE_STEPS:-1200}
wide2_steps=${WIDE2_STEPS:-1750}
wide3_steps=${WIDE3_STEPS:-2000}
until=${UNTIL:-all}
data=${CORPUS:-$root/data/cache/corpus}
wide=${WIDE_CORPUS:-$root/data/cache/corpus-64k}
out=${OUT:-$root/resources/models/default}
prompts='熊猫|一只猫在一棵树的左边|两个红色的苹果|扁平风格，一辆汽车，浅蓝色背景|大熊猫'

[ -x "$cli" ] || { echo "build shenbi-cli first: scripts/dev.sh build" >&2; exit 1; }
mkdir -p "$run"

# 1. data (npm and Debian archives cached under data/cache/corpus-sources)
if [ ! -f "$data/train.tsv" ] || [ ! -f "$data/val.tsv" ]; then
    bash "$root/data/corpus/fetch.sh"  # a bash script (arrays, pipefail): not sh
    /usr/bin/python3 "$root/data/corpus/build_corpus.py" --out "$data"
fi

# 2. vocabulary
[ -f "$run/vocab.txt" ] || "$cli" vocab build --input_file "$data/train.tsv" \
    --triples "$root/resources/knowledge/triples.tsv" --output_file "$run/vocab.txt"

# 3. VQGAN
if [ ! -f "$run/vq/model/model.json" ]; then
    "$cli" train vqgan --preset scene --tables "$data/train.tsv,$data/val.tsv" \
        --checkpoint_dir "$run/vq" --max_steps "$vq_steps" --micro_batch_size 16 --learning_rate 2e-4 \
        --warmup_proportion 0.02 --ema_codebook --flip --eval_steps 250 --max_val_batches 20 \
        --save_checkpoint_steps 50 --keep_checkpoints 2 --threads "$threads"
fi
[ "$until" = vqgan ] && exit 0
vq=$run/vq/best
[ -f "$vq/model.json" ] || vq=$run/vq/model

# 4. the model stage 2 starts from
[ -f "$run/base/model.json" ] || "$cli" model new --preset scene --name shenbi-scene \
    --vocab "$run/vocab.txt" --entities "$root/resources/knowledge" --fusion lattice \
    --vqgan_from "$vq" --seed 1 --out "$run/base"
[ "$until" = base ] && exit 0

# 5. GPT
if [ ! -f "$run/gpt/model/model.json" ]; then
    "$cli" train gpt --model "$run/base" --tables "$data/train.tsv,$data/val.tsv" \
        --checkpoint_dir "$run/gpt" --max_steps "$gpt_steps" --micro_batch_size 32 --learning_rate 1e-3 \
        --warmup_proportion 0.03 --entity_mask 0.3 --eval_steps 200 --max_val_batches 10 \
        --save_checkpoint_steps 25 --keep_checkpoints 2 --prompts "$prompts" --threads "$threads" \
        --mixed_precision bf16
fi
[ "$until" = gpt ] && exit 0

# 6. scene-weighted steps: first over the corpus's own scenes, then over 64,000
focus() {  # focus FROM TABLE STEPS LR DIR
    [ -f "$5/model/model.json" ] || "$cli" train gpt --model "$1" --tables "$2,$data/val.tsv" \
        --checkpoint_dir "$5" --max_steps "$3" --micro_batch_size 32 --learning_rate "$4" \
        --warmup_proportion 0.05 --entity_mask 0.3 --eval_steps 400 --max_val_batches 10 \
        --save_checkpoint_steps 25 --keep_checkpoints 2 --threads "$threads" --mixed_precision bf16 \
        --code_cache "$run/codes"
}
[ -f "$data/train-scenes.tsv" ] || /usr/bin/python3 "$root/data/corpus/scene_mixture.py" --corpus "$data"
focus "$run/gpt/model" "$data/train-scenes.tsv" "$focus_steps" 3e-4 "$run/focus"
if [ ! -f "$wide/train-scenes.tsv" ]; then
    /usr/bin/python3 "$root/data/corpus/build_corpus.py" --scenes 64000 --out "$wide"
    /usr/bin/python3 "$root/data/corpus/scene_mixture.py" --corpus "$wide"
fi
focus "$run/focus/model" "$wide/train-scenes.tsv" "$wide_steps" 2e-4 "$run/focus64k"
# the same table again, twice: its codes come from $run/codes (encoding 64,000 images takes 17 min)
focus "$run/focus64k/model" "$wide/train-scenes.tsv" "$wide2_steps" 2e-4 "$run/focus64k-2"
focus "$run/focus64k-2/model" "$wide/train-scenes.tsv" "$wide3_steps" 2e-4 "$run/focus64k-3"
[ "$until" = focus ] && exit 0

# 7. ship it (sampling: the setting the evaluation in docs/default-model.md chose)
"$cli" model export --model "$run/focus64k-3/model" --out "$out" --dtype fp16 --name shenbi-scene \
    --top_k "${TOP_K:-50}" --temperature "${TEMPERATURE:-1.0}" --guidance "${GUIDANCE:-2}" --best_of "${BEST_OF:-4}" --layout "${LAYOUT:-on}" \
    --layout_guidance "${LAYOUT_GUIDANCE:-3}" \
    --description "神笔默认模型：64 像素的表情符号、旗帜、Tux Paint 图章和简单场景；能画单个物体和颜色，数量、位置和多个物体还画不好" \
    --examples "$root/scripts/default-model-examples.txt" --fold_aliases "$data/train.tsv,$wide/train-scenes.tsv"
