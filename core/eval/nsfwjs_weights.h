// Reads the TF.js weights of the Keras InceptionV3 shipped inside the npm
// package nsfwjs@4.4.0 (MIT): dist/models/inception_v3/ holds model.min.js
// (the topology and the weights manifest, as a JavaScript object literal) and
// group1-shardNofM.min.js files (the weights, base64 in a JS wrapper). Each
// tensor is uint8-quantised: w = min + scale * q (data/inception/README.md).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

// Tensors by their Keras names ("conv2d_1/kernel", "batch_normalization_1/beta"),
// float32, in Keras layout (a conv kernel is [kh, kw, in, out]). Only names for
// which `keep` holds are returned (all shards are still read: offsets follow
// the manifest order). Errors name the file and the tensor at fault.
Result<std::map<std::string, torch::Tensor>> read_nsfwjs_weights(const std::filesystem::path& model_dir,
                                                                 const std::function<bool(const std::string&)>& keep);

}  // namespace shenbi
