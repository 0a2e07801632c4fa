// Data-parallel plumbing over LibTorch's c10d: a TCP store for rendezvous,
// then ProcessGroupGloo (CPU, and CUDA tensors staged through host memory)
// or ProcessGroupNCCL (CUDA tensors, only in builds against a CUDA LibTorch
// with NCCL: see core/CMakeLists.txt). Built only with
// -DSHENBI_WITH_DISTRIBUTED=ON (the default); without it connect() returns
// ErrorCode::Unsupported for a world size above 1.
//
// Thread-safety: a Communicator is used by the training thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <c10/core/Device.h>
#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

struct DistributedOptions {
    int rank = 0;
    int world_size = 1;
    std::string master_addr = "127.0.0.1";
    int master_port = 29500;
    int timeout_s = 300;  // rendezvous and collectives
    // "auto": NCCL when `device` is CUDA and the build has it, else Gloo;
    // "gloo" or "nccl" to insist (nccl without it is an error, not a fallback).
    std::string backend = "auto";
    c10::Device device{c10::kCPU};  // where the tensors passed to collectives live
};

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int world_size() const = 0;
    virtual std::string backend() const = 0;  // "local", "gloo", "nccl"
    // In-place sum over ranks. The tensors are flattened into one buffer, so
    // any number of tensors of any shape costs one collective.
    virtual Status all_reduce_sum(const std::vector<torch::Tensor>& tensors) = 0;
    // In-place copy of root's tensors to every rank.
    virtual Status broadcast(const std::vector<torch::Tensor>& tensors, int root) = 0;
    virtual Status barrier() = 0;
};

// World of one: every collective is a no-op.
std::unique_ptr<Communicator> make_local_communicator();

// Rank 0 hosts the TCP store at master_addr:master_port; every rank blocks
// until all world_size ranks joined (or timeout_s passes).
Result<std::unique_ptr<Communicator>> connect_communicator(const DistributedOptions& options);

// True when this build has c10d + Gloo.
bool distributed_available();
// True when this build also has c10d's NCCL backend (a CUDA LibTorch).
bool nccl_available();
// The backend connect_communicator would use for these options ("gloo",
// "nccl"), or an error naming why the requested one cannot be had.
Result<std::string> resolve_backend(const DistributedOptions& options);

}  // namespace shenbi
