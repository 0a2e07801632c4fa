#include "core/train/distributed.h"

#include <cstdlib>

#include <torch/torch.h>

#include "core/util/guard.h"

#if defined(SHENBI_WITH_DISTRIBUTED) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#define SHENBI_HAVE_C10D 1
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace shenbi {
namespace {

class LocalCommunicator final : public Communicator {
public:
    int rank() const override { return 0; }
    int world_size() const override { return 1; }
    Status all_reduce_sum(const std::vector<torch::Tensor>&) override { return Status::success(); }
    Status broadcast(const std::vector<torch::Tensor>&, int) override { return Status::success(); }
    Status barrier() override { return Status::success(); }
};

#ifdef SHENBI_HAVE_C10D
class GlooCommunicator final : public Communicator {
public:
    GlooCommunicator(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::ProcessGroupGloo> pg, int rank,
                     int world)
        : store_(std::move(store)), pg_(std::move(pg)), rank_(rank), world_(world) {}

    int rank() const override { return rank_; }
    int world_size() const override { return world_; }

    Status all_reduce_sum(const std::vector<torch::Tensor>& tensors) override {
        return guarded("all-reduce", [&]() -> Status {
            if (tensors.empty()) return Status::success();
            std::vector<torch::Tensor> buffer{flatten(tensors)};
            pg_->allreduce(buffer)->wait();
            unflatten(buffer[0], tensors);
            return Status::success();
        });
    }

    Status broadcast(const std::vector<torch::Tensor>& tensors, int root) override {
        return guarded("broadcast", [&]() -> Status {
            if (tensors.empty()) return Status::success();
            std::vector<torch::Tensor> buffer{flatten(tensors)};
            c10d::BroadcastOptions opts;
            opts.rootRank = root;
            pg_->broadcast(buffer, opts)->wait();
            unflatten(buffer[0], tensors);
            return Status::success();
        });
    }

    Status barrier() override {
        return guarded("barrier", [&]() -> Status {
            pg_->barrier()->wait();
            return Status::success();
        });
    }

private:
    // One float buffer for all tensors (all float32 here: gradients, weights).
    static torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
        std::vector<torch::Tensor> flat;
        flat.reserve(tensors.size());
        for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}).to(torch::kFloat32));
        return torch::cat(flat).contiguous();
    }
    static void unflatten(const torch::Tensor& buffer, const std::vector<torch::Tensor>& tensors) {
        torch::NoGradGuard no_grad;
        std::int64_t offset = 0;
        for (const auto& t : tensors) {
            const auto n = t.numel();
            t.copy_(buffer.narrow(0, offset, n).view(t.sizes()));
            offset += n;
        }
    }

    c10::intrusive_ptr<c10d::Store> store_;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> pg_;
    int rank_;
    int world_;
};
#endif

}  // namespace

std::unique_ptr<Communicator> make_local_communicator() { return std::make_unique<LocalCommunicator>(); }

bool distributed_available() {
#ifdef SHENBI_HAVE_C10D
    return true;
#else
    return false;
#endif
}

Result<std::unique_ptr<Communicator>> connect_communicator(const DistributedOptions& options) {
    if (options.world_size < 1 || options.rank < 0 || options.rank >= options.world_size) {
        return make_error(ErrorCode::InvalidArgument, "rank " + std::to_string(options.rank) + " is not in a world of " +
                                                          std::to_string(options.world_size));
    }
    if (options.world_size == 1) return make_local_communicator();
#ifdef SHENBI_HAVE_C10D
    const std::string where = options.master_addr + ":" + std::to_string(options.master_port);
    return guarded("rank " + std::to_string(options.rank) + " joining " + where,
                   [&]() -> Result<std::unique_ptr<Communicator>> {
                       c10d::TCPStoreOptions store_opts;
                       store_opts.port = static_cast<std::uint16_t>(options.master_port);
                       store_opts.isServer = options.rank == 0;
                       store_opts.numWorkers = static_cast<std::size_t>(options.world_size);
                       store_opts.waitWorkers = true;
                       store_opts.timeout = std::chrono::seconds(options.timeout_s);
                       auto store = c10::make_intrusive<c10d::TCPStore>(options.master_addr, store_opts);
                       auto pg_opts = c10d::ProcessGroupGloo::Options::create(std::chrono::seconds(options.timeout_s));
                       // Loopback for one machine; across machines the device binds a local
                       // interface (GLOO_SOCKET_IFNAME, as in PyTorch, or the hostname's address).
                       const bool loopback = options.master_addr == "127.0.0.1" || options.master_addr == "localhost";
                       const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
                       pg_opts->devices.push_back(
                           loopback ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                           : (ifname && *ifname) ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                                                 : c10d::ProcessGroupGloo::createDefaultDevice());
                       auto pg = c10::make_intrusive<c10d::ProcessGroupGloo>(store, options.rank, options.world_size,
                                                                             pg_opts);
                       return std::unique_ptr<Communicator>(
                           std::make_unique<GlooCommunicator>(store, pg, options.rank, options.world_size));
                   });
#else
    return make_error(ErrorCode::Unsupported,
                      "this build has no distributed training (configure with -DSHENBI_WITH_DISTRIBUTED=ON and "
                      "libgloo-dev installed)");
#endif
}

}  // namespace shenbi
