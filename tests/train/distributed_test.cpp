// Two processes on 127.0.0.1 (this test executable started twice more, each
// running only the Worker test as one rank) train with micro batch B; one
// process trains on the combined batch 2B. All three must end with the same
// weights.
#include "core/train/distributed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/format/state_dict.h"
#include "core/format/torch_file.h"
#include "core/train/trainer.h"
#include "tests/train/fixture.h"

extern char** environ;

using namespace shenbi;
namespace fs = std::filesystem;

namespace {

TrainOptions dp_options(const fs::path& dir, TrainStage stage, int micro_batch) {
    TrainOptions o;
    o.stage = stage;
    o.train_tsv = dir / "train.tsv";
    o.optim.learning_rate = 3e-3;
    o.micro_batch = micro_batch;
    o.max_steps = 5;  // 16 rows / global batch 8: crosses an epoch
    o.threads = 1;
    o.save_model = false;
    o.save_every = 2;
    return o;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

}  // namespace

// One rank of the data-parallel test; skipped unless started by it.
TEST(TrainDistributed, Worker) {
    if (!env("SHENBI_DP_RANK")) GTEST_SKIP() << "started by TrainDistributed.TwoProcessesMatchOneProcess";
    const fs::path dir = env("SHENBI_DP_DIR");
    const auto stage = std::string(env("SHENBI_DP_STAGE")) == "gpt" ? TrainStage::Gpt : TrainStage::Vqgan;
    auto o = dp_options(dir, stage, 4);
    o.run_dir = dir / "dp";
    o.dist.rank = std::atoi(env("SHENBI_DP_RANK"));
    o.dist.world_size = 2;
    o.dist.master_port = std::atoi(env("SHENBI_DP_PORT"));
    o.dist.timeout_s = 60;
    auto model = test::tiny_lattice_model(1);  // as every rank loading the same model directory
    auto r = train(*model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_TRUE(
        write_state_dict(dir / ("rank" + std::to_string(o.dist.rank) + ".pt"), module_state_dict(*model->net)).ok());
}

TEST(TrainDistributed, TwoProcessesMatchOneProcess) {
    if (env("SHENBI_DP_RANK")) GTEST_SKIP();
    if (!distributed_available()) GTEST_SKIP() << "built without SHENBI_WITH_DISTRIBUTED";
    for (const std::string stage_name : {"gpt", "vqgan"}) {
        const auto stage = stage_name == "gpt" ? TrainStage::Gpt : TrainStage::Vqgan;
        auto dir = test::temp_dir("dp_" + stage_name);
        test::write_tsv(dir / "train.tsv", 16);

        // Reference: one process, combined batch.
        auto single = test::tiny_lattice_model(1);
        auto o = dp_options(dir, stage, 8);
        o.run_dir = dir / "single";
        auto r = train(*single, o);
        ASSERT_TRUE(r.ok()) << r.message();

        const int port = free_port();
        std::vector<pid_t> pids;
        for (int rank = 0; rank < 2; ++rank) {
            std::vector<std::string> envs;
            for (char** e = environ; *e; ++e) envs.emplace_back(*e);
            envs.push_back("SHENBI_DP_RANK=" + std::to_string(rank));
            envs.push_back("SHENBI_DP_PORT=" + std::to_string(port));
            envs.push_back("SHENBI_DP_DIR=" + dir.string());
            envs.push_back("SHENBI_DP_STAGE=" + stage_name);
            std::vector<char*> envp;
            for (auto& s : envs) envp.push_back(s.data());
            envp.push_back(nullptr);
            std::string exe = fs::read_symlink("/proc/self/exe").string();
            std::string filter = "--gtest_filter=TrainDistributed.Worker";
            char* argv[] = {exe.data(), filter.data(), nullptr};
            pid_t pid = 0;
            ASSERT_EQ(::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, envp.data()), 0);
            pids.push_back(pid);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
        for (pid_t pid : pids) {
            int status = 0;
            while (::waitpid(pid, &status, WNOHANG) == 0) {
                if (std::chrono::steady_clock::now() > deadline) {
                    for (pid_t p : pids) ::kill(p, SIGKILL);
                    FAIL() << "worker timed out";
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker failed, status " << status;
        }
        auto w0 = read_state_dict(dir / "rank0.pt");
        auto w1 = read_state_dict(dir / "rank1.pt");
        ASSERT_TRUE(w0.ok() && w1.ok());
        auto ref = module_state_dict(*single->net);
        ASSERT_EQ(w0->size(), ref.size());
        double rank_diff = 0, ref_diff = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            ASSERT_EQ((*w0)[i].first, ref[i].first);
            if (!ref[i].second.is_floating_point()) continue;
            rank_diff = std::max(rank_diff, ((*w0)[i].second - (*w1)[i].second).abs().max().item<double>());
            ref_diff = std::max(ref_diff, ((*w0)[i].second - ref[i].second).abs().max().item<double>());
        }
        EXPECT_EQ(rank_diff, 0.0) << stage_name << ": ranks diverged";
        EXPECT_LT(ref_diff, 1e-4) << stage_name << ": data-parallel differs from one process on the combined batch";
        // Only rank 0 wrote checkpoints.
        EXPECT_TRUE(fs::exists(dir / "dp" / "checkpoints" / "step-00000005.ckpt"));
        fs::remove_all(dir);
    }
}

// Backend choice: Gloo on CPU; NCCL only for CUDA tensors in a build that
// has it, and asking for it elsewhere is an error, never a silent fallback.
TEST(TrainDistributed, BackendResolution) {
    DistributedOptions o;
    o.world_size = 2;
    EXPECT_EQ(resolve_backend(o).value(), "gloo");
    o.backend = "gloo";
    EXPECT_EQ(resolve_backend(o).value(), "gloo");
    o.backend = "nccl";
    auto r = resolve_backend(o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find(nccl_available() ? "CUDA device" : "gloo"), std::string::npos) << r.message();
    o.backend = "mpi";
    r = resolve_backend(o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("mpi"), std::string::npos);
    // A CUDA device without NCCL in the build still trains, over Gloo.
    o.backend = "auto";
    o.device = c10::Device(c10::kCUDA, 0);
    EXPECT_EQ(resolve_backend(o).value(), nccl_available() ? "nccl" : "gloo");
    EXPECT_EQ(make_local_communicator()->backend(), "local");
}
