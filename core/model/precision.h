// Weight precision of the GPT at inference time: a run-time option that
// trades a little accuracy for memory bandwidth (a decoding step reads every
// GPT weight once, so it is bound by weight bytes).
#pragma once

#include <cstdint>
#include <string>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "core/util/result.h"

namespace shenbi {

struct ModelBundle;

enum class WeightPrecision {
    Float32,
    BFloat16,  // needs native bf16 on the CPU (cpu_features())
    Int8,      // CPU only: int8 weights, one scale per output row, decode kernels (decode_kernels.h)
    W8A8,      // Int8, with activations quantized too: AVX512-VNNI integer products; faster, less exact
    Auto,      // int8 on a CPU with the decode kernels (AVX2 or AVX-512), fp32 elsewhere
};

// "fp32", "bf16", "int8", "w8a8", "auto"; anything else is InvalidArgument naming them.
Result<WeightPrecision> weight_precision_from_string(const std::string& name);
std::string to_string(WeightPrecision precision);

// What Auto means on `device` (the fastest measured, bench/README.md); any
// other precision is returned as it is.
WeightPrecision resolve_precision(WeightPrecision precision, const c10::Device& device);

// True when this CPU runs `precision` at full speed: bf16 needs native bf16,
// w8a8 AVX-512 with VNNI; the others always (Auto resolves to what it may).
// The one rule for set_gpt_precision's refusals and the studio's choices.
bool cpu_runs_precision(WeightPrecision precision);

// Converts the GPT (not the VQGAN, whose convolutions stay fp32) in place.
// Call before sharing the bundle with other threads. Refused
// (ErrorCode::Unsupported), with the model unchanged:
// - bf16 on a CPU without native bf16: it would run several times slower than fp32;
// - int8 and w8a8 on a GPU; w8a8 without AVX512-VNNI.
// Int8 replaces the fp32 weights of every projection (their memory is freed),
// so it is one way: asking for another precision afterwards is refused
// (reload the model). Training needs fp32 or bf16. The VQGAN stays fp32
// whatever the precision.
Status set_gpt_precision(ModelBundle& model, WeightPrecision precision);

// The dtype the VQGAN decodes in (its post_quant_conv's): fp32 unless a
// caller converted the decoder. Decoded images are converted to fp32 by the callers.
c10::ScalarType vqgan_decode_dtype(const ModelBundle& model);

// The precision the GPT's weights are in now (never Auto).
WeightPrecision gpt_precision(const ModelBundle& model);

// True when decoding steps run through the decode kernels (the CPU with a
// vector ISA; fp32, bf16 and int8 weights alike): they want the cores in
// LibTorch's OpenMP pool and OpenBLAS on one thread (generate()).
bool uses_decode_kernels(const ModelBundle& model);

// Bytes of GPT weights one decoding step reads: every block, ln_f and the head
// (embedding tables are only indexed, one row per token), int8 copies included.
std::int64_t gpt_bytes_read_per_step(const ModelBundle& model);

}  // namespace shenbi
