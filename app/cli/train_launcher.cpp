#include "app/cli/train_launcher.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace shenbi::cli {

// Children of --nproc get the same command line with their rank appended.
int spawn_local_world(int nproc, const Args& args) {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv;
    for (std::size_t start = 0; start < raw.size();) {
        const auto end = raw.find('\0', start);
        argv.push_back(raw.substr(start, end - start));
        start = end == std::string::npos ? raw.size() : end + 1;
    }
    // drop --nproc N / --nproc=N
    std::vector<std::string> base;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--nproc") {
            ++i;
            continue;
        }
        if (argv[i].rfind("--nproc=", 0) == 0) continue;
        base.push_back(argv[i]);
    }
    const std::string port = args.get("master_port", std::to_string(29500 + (::getpid() % 1000)));
    const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<pid_t> pids;
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> a = base;
        a.insert(a.end(), {"--rank", std::to_string(r), "--local_rank", std::to_string(r), "--world_size",
                           std::to_string(nproc), "--master_addr", "127.0.0.1", "--master_port", port});
        std::vector<char*> cargv;
        for (auto& s : a) cargv.push_back(s.data());
        cargv.push_back(nullptr);
        pid_t pid = 0;
        if (::posix_spawn(&pid, exe.c_str(), nullptr, nullptr, cargv.data(), environ) != 0) {
            std::cerr << "error: cannot start rank " << r << "\n";
            for (pid_t p : pids) ::kill(p, SIGTERM);
            return 1;
        }
        pids.push_back(pid);
    }
    std::signal(SIGINT, SIG_IGN);  // the children get Ctrl-C themselves and checkpoint
    int rc = 0;
    for (std::size_t done = 0; done < pids.size(); ++done) {
        int status = 0;
        const pid_t pid = ::wait(&status);
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok && rc == 0) {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
            // A dead rank would leave the others waiting in a collective.
            for (pid_t p : pids)
                if (p != pid) ::kill(p, SIGTERM);
        }
    }
    return rc;
}

}  // namespace shenbi::cli
