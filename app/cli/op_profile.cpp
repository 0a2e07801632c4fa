#include "app/cli/op_profile.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <vector>

#include <torch/csrc/autograd/profiler_legacy.h>

namespace shenbi::cli {
namespace {

namespace prof = torch::autograd::profiler;

struct OpTotal {
    double self_us = 0;
    long calls = 0;
};

// Push/pop events of one thread, in order: a stack gives each op its
// duration, and the duration of its children to subtract.
void add_thread(const std::vector<prof::LegacyEvent>& events, std::map<std::string, OpTotal>& totals) {
    struct Open {
        const prof::LegacyEvent* push;
        double children_us = 0;
    };
    std::vector<Open> stack;
    for (const auto& e : events) {
        if (e.kind() == prof::EventKind::PushRange) {
            stack.push_back({&e});
        } else if (e.kind() == prof::EventKind::PopRange && !stack.empty()) {
            const Open open = stack.back();
            stack.pop_back();
            const double us = open.push->cpuElapsedUs(e);
            auto& total = totals[open.push->name()];
            total.self_us += us - open.children_us;
            ++total.calls;
            if (!stack.empty()) stack.back().children_us += us;
        }
    }
}

double now_us() {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void OpProfile::start() {
    prof::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
    start_us_ = now_us();
}

std::string OpProfile::finish(int top, int per, const std::string& per_name) {
    const double wall_us = now_us() - start_us_;
    const auto lists = prof::disableProfilerLegacy();
    std::map<std::string, OpTotal> totals;
    for (const auto& events : lists) add_thread(events, totals);

    std::vector<std::pair<std::string, OpTotal>> ops(totals.begin(), totals.end());
    std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second.self_us > b.second.self_us; });
    double counted_us = 0;
    for (const auto& [name, t] : ops) counted_us += t.self_us;
    std::string out = "| op | calls per " + per_name + " | self ms per " + per_name + " | share of wall time |\n";
    out += "|---|---|---|---|\n";
    char line[512];
    for (int i = 0; i < std::min<int>(top, static_cast<int>(ops.size())); ++i) {
        const auto& [name, t] = ops[static_cast<size_t>(i)];
        std::snprintf(line, sizeof line, "| %s | %.1f | %.3f | %.1f%% |\n", name.c_str(),
                      static_cast<double>(t.calls) / per, t.self_us / 1e3 / per, 100.0 * t.self_us / wall_us);
        out += line;
    }
    std::snprintf(line, sizeof line, "| (outside any op: Shenbi's own code, hand-offs) | | %.3f | %.1f%% |\n",
                  (wall_us - counted_us) / 1e3 / per, 100.0 * (wall_us - counted_us) / wall_us);
    out += line;
    return out;
}

}  // namespace shenbi::cli
