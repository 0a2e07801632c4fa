// Data-parallel plumbing over LibTorch's c10d: a TCP store for rendezvous
// and ProcessGroupGloo on CPU. Built only with -DSHENBI_WITH_DISTRIBUTED=ON
// (the default); without it connect() returns ErrorCode::Unsupported for a
// world size above 1 and training runs single-process as before.
//
// Thread-safety: a Communicator is used by the training thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/util/result.h"

namespace shenbi {

struct DistributedOptions {
    int rank = 0;
    int world_size = 1;
    std::string master_addr = "127.0.0.1";
    int master_port = 29500;
    int timeout_s = 300;  // rendezvous and collectives
};

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int world_size() const = 0;
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

}  // namespace shenbi
