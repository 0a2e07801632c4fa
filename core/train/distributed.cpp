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
// SHENBI_WITH_NCCL is set for this file only, by core/CMakeLists.txt, when
// the LibTorch is a CUDA build with NCCL (it also defines USE_C10D_NCCL,
// which the header needs).
#if defined(SHENBI_WITH_NCCL)
#define SHENBI_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace shenbi {
namespace {

class LocalCommunicator final : public Communicator {
public:
    int rank() const override { return 0; }
    int world_size() const override { return 1; }
    std::string backend() const override { return "local"; }
    Status all_reduce_sum(const std::vector<torch::Tensor>&) override { return Status::success(); }
    Status broadcast(const std::vector<torch::Tensor>&, int) override { return Status::success(); }
    Status barrier() override { return Status::success(); }
};

#ifdef SHENBI_HAVE_C10D
// One communicator for any c10d process group. Collectives run on one flat
// float32 buffer on `wire` (host memory for Gloo, the GPU for NCCL); results
// are copied back into the caller's tensors wherever they live.
template <class ProcessGroup>
class C10dCommunicator final : public Communicator {
public:
    C10dCommunicator(c10::intrusive_ptr<c10d::Store> store,
                     c10::intrusive_ptr<ProcessGroup> pg,
                     int rank,
                     int world,
                     std::string name,
                     c10::Device wire)
        : store_(std::move(store)),
          pg_(std::move(pg)),
          rank_(rank),
          world_(world),
          name_(std::move(name)),
          wire_(wire) {}

    int rank() const override { return rank_; }
    int world_size() const override { return world_; }
    std::string backend() const override { return name_; }

    Status all_reduce_sum(const std::vector<torch::Tensor>& tensors) override {
        return guarded(name_ + " all-reduce", [&]() -> Status {
            if (tensors.empty()) return Status::success();
            std::vector<torch::Tensor> buffer{flatten(tensors)};
            pg_->allreduce(buffer)->wait();
            unflatten(buffer[0], tensors);
            return Status::success();
        });
    }

    Status broadcast(const std::vector<torch::Tensor>& tensors, int root) override {
        return guarded(name_ + " broadcast", [&]() -> Status {
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
        return guarded(name_ + " barrier", [&]() -> Status {
            pg_->barrier()->wait();
            return Status::success();
        });
    }

private:
    // One float buffer for all tensors (all float32 here: gradients, weights).
    torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) const {
        std::vector<torch::Tensor> flat;
        flat.reserve(tensors.size());
        for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}).to(wire_, torch::kFloat32));
        return torch::cat(flat).contiguous();
    }
    static void unflatten(const torch::Tensor& buffer, const std::vector<torch::Tensor>& tensors) {
        torch::NoGradGuard no_grad;
        std::int64_t offset = 0;
        for (const auto& t : tensors) {
            const auto n = t.numel();
            t.copy_(buffer.narrow(0, offset, n).view(t.sizes()));  // copy_ crosses devices and dtypes
            offset += n;
        }
    }

    c10::intrusive_ptr<c10d::Store> store_;
    c10::intrusive_ptr<ProcessGroup> pg_;
    int rank_;
    int world_;
    std::string name_;
    c10::Device wire_;
};

c10::intrusive_ptr<c10d::ProcessGroupGloo> make_gloo(const c10::intrusive_ptr<c10d::Store>& store,
                                                     const DistributedOptions& options) {
    auto pg_opts = c10d::ProcessGroupGloo::Options::create(std::chrono::seconds(options.timeout_s));
    // Loopback for one machine; across machines the device binds a local
    // interface (GLOO_SOCKET_IFNAME, as in PyTorch, or the hostname's address).
    const bool loopback = options.master_addr == "127.0.0.1" || options.master_addr == "localhost";
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    pg_opts->devices.push_back(loopback              ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                               : (ifname && *ifname) ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                                                     : c10d::ProcessGroupGloo::createDefaultDevice());
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, options.rank, options.world_size, pg_opts);
}
#endif

}  // namespace

std::unique_ptr<Communicator> make_local_communicator() {
    return std::make_unique<LocalCommunicator>();
}

bool distributed_available() {
#ifdef SHENBI_HAVE_C10D
    return true;
#else
    return false;
#endif
}

bool nccl_available() {
#ifdef SHENBI_HAVE_NCCL
    return true;
#else
    return false;
#endif
}

Result<std::string> resolve_backend(const DistributedOptions& options) {
    const std::string& b = options.backend;
    if (b == "gloo") return std::string("gloo");
    if (b == "nccl") {
        if (!nccl_available())
            return make_error(
                ErrorCode::Unsupported,
                "this build has no NCCL (it needs a CUDA LibTorch with c10d NCCL); use --dist_backend gloo");
        if (!options.device.is_cuda())
            return make_error(ErrorCode::InvalidArgument, "NCCL needs a CUDA device, not " + options.device.str());
        return std::string("nccl");
    }
    if (b == "auto") return std::string(options.device.is_cuda() && nccl_available() ? "nccl" : "gloo");
    return make_error(ErrorCode::InvalidArgument, "unknown distributed backend '" + b + "' (auto, gloo, nccl)");
}

Result<std::unique_ptr<Communicator>> connect_communicator(const DistributedOptions& options) {
    if (options.world_size < 1 || options.rank < 0 || options.rank >= options.world_size) {
        return make_error(
            ErrorCode::InvalidArgument,
            "rank " + std::to_string(options.rank) + " is not in a world of " + std::to_string(options.world_size));
    }
    auto backend = resolve_backend(options);
    if (!backend) return backend.error();
    if (options.world_size == 1) return make_local_communicator();
#ifdef SHENBI_HAVE_C10D
    const std::string where = options.master_addr + ":" + std::to_string(options.master_port);
    return guarded(
        "rank " + std::to_string(options.rank) + " joining " + where + " (" + *backend + ")",
        [&]() -> Result<std::unique_ptr<Communicator>> {
            c10d::TCPStoreOptions store_opts;
            store_opts.port = static_cast<std::uint16_t>(options.master_port);
            store_opts.isServer = options.rank == 0;
            store_opts.numWorkers = static_cast<std::size_t>(options.world_size);
            store_opts.waitWorkers = true;
            store_opts.timeout = std::chrono::seconds(options.timeout_s);
            auto store = c10::make_intrusive<c10d::TCPStore>(options.master_addr, store_opts);
#ifdef SHENBI_HAVE_NCCL
            if (*backend == "nccl") {
                auto nccl_opts = c10d::ProcessGroupNCCL::Options::create();
                nccl_opts->timeout = std::chrono::milliseconds(1000LL * options.timeout_s);
                auto pg =
                    c10::make_intrusive<c10d::ProcessGroupNCCL>(store, options.rank, options.world_size, nccl_opts);
                return std::unique_ptr<Communicator>(std::make_unique<C10dCommunicator<c10d::ProcessGroupNCCL>>(
                    store, pg, options.rank, options.world_size, "nccl", options.device));
            }
#endif
            auto pg = make_gloo(store, options);
            return std::unique_ptr<Communicator>(std::make_unique<C10dCommunicator<c10d::ProcessGroupGloo>>(
                store, pg, options.rank, options.world_size, "gloo", c10::Device(c10::kCPU)));
        });
#else
    return make_error(ErrorCode::Unsupported,
                      "this build has no distributed training (configure with -DSHENBI_WITH_DISTRIBUTED=ON and "
                      "libgloo-dev installed)");
#endif
}

}  // namespace shenbi
