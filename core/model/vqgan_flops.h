// Floating-point operations of one VQGAN decode, counted from the config the
// way the decoder is built (vqgan_decoder.cpp): the benchmark's compute floor
// for the last stage of every request (bench generate).
#pragma once

#include "core/model/config.h"

namespace shenbi {

// Per image: post_quant_conv, every convolution of the decoder (3x3 and 1x1,
// 2 FLOPs per multiply-add) and the attention products (QK^T and AV). Group
// norms, SiLU, the nearest-neighbour upsampling and the softmax are left out:
// they move memory rather than compute (a few percent of the total).
double vqgan_decode_flops(const VqganConfig& config);

}  // namespace shenbi
