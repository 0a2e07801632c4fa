// PyTorch checkpoint files (the zip format of `torch.save`, PyTorch >= 1.6)
// read and written without Python, with LibTorch's zip container
// (caffe2::serialize::PyTorchStreamReader/Writer) and our pickle subset.
//
// Tensors keep the layout they were saved with: views of one storage stay
// views (shared storage, strides, offset), so an expanded stride-0 tensor
// costs one element on disk. Tensors read are CPU tensors that own their
// memory. Only little-endian hosts are supported (as PyTorch's own files).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

// Ordered (key, tensor) list: a PyTorch state_dict.
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

// Reads a state dict saved with torch.save: an OrderedDict (its _metadata
// is ignored) or a plain dict of string -> tensor. Storages of dtype float32,
// float16, bfloat16, float64, int64, int32, int16, int8, uint8 and bool.
// The legacy pre-1.6 format is refused with a message saying how to convert.
// Errors (ErrorCode::Corrupt / Unsupported / NotFound) name the file and the
// record or key at fault. What LibTorch's zip reader refuses reads
// "FILE: not a PyTorch zip checkpoint (or damaged): REASON", REASON being the
// reader's own words without its source file and line.
Result<StateDict> read_state_dict(const std::filesystem::path& path);

// Reads a file that holds one 2-D float table, e.g. EasyNLP's `entity2vec.pt`
// whose exact layout is not documented: accepts a tensor saved directly
// (also an nn.Parameter), a dict holding one tensor (or several, then the
// one whose key contains "ent"), or a list/tuple of equal-length lists of
// numbers. Returns a float32 tensor.
Result<torch::Tensor> read_tensor_file(const std::filesystem::path& path);

// Writes `state` so that Python's torch.load returns an OrderedDict of the
// same keys, dtypes, shapes, strides and storage sharing (CUDA tensors are
// copied to the CPU first). Written atomically: temp file, fsync, rename.
Status write_state_dict(const std::filesystem::path& path, const StateDict& state);

}  // namespace shenbi
