#include "app/cli/train_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include <unistd.h>

namespace shenbi::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string duration(double s) {
    if (!std::isfinite(s) || s < 0) return "?";
    char buf[32];
    const long t = std::lround(s);
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

}  // namespace

TrainProgress::TrainProgress(bool rank0)
    : rank0_(rank0), tty_(isatty(fileno(stderr))), last_print_(Clock::now() - std::chrono::hours(1)) {}

void TrainProgress::message(const std::string& text) {
    if (bar_open_) std::fputc('\n', stderr);
    bar_open_ = false;
    std::fprintf(stderr, "%s\n", text.c_str());
}

void TrainProgress::step(const StepEvent& e) {
    if (!rank0_) return;
    const auto now = Clock::now();
    if (!tty_ && e.step != e.total_steps && now - last_print_ < std::chrono::seconds(10)) return;
    last_print_ = now;
    const int width = 24;
    const int filled = static_cast<int>(e.step * width / std::max<std::int64_t>(1, e.total_steps));
    std::fprintf(stderr, "%s[%s%s] %lld/%lld ep %lld loss %.4f lr %.2e %.0f tok/s ETA %s%s", tty_ ? "\r" : "",
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 static_cast<long long>(e.step), static_cast<long long>(e.total_steps), static_cast<long long>(e.epoch),
                 e.loss, e.lr, e.tokens_per_s, duration(e.eta_s).c_str(), tty_ ? "  " : "\n");
    bar_open_ = tty_;
}

void TrainProgress::close() {
    if (bar_open_) std::fputc('\n', stderr);
    bar_open_ = false;
}

void print_train_summary(const TrainSummary& s) {
    std::printf("steps %lld/%lld, last loss %.4f", static_cast<long long>(s.steps),
                static_cast<long long>(s.total_steps), s.last_loss);
    if (s.first_val_loss >= 0)
        std::printf(", validation loss %.4f -> %.4f (best %.4f)", s.first_val_loss, s.last_val_loss, s.best_val_loss);
    std::printf("%s\n", s.early_stopped ? " (early stop)" : "");
    std::printf("bad rows: %zu\n", s.bad_rows.size());
    for (const auto& b : s.bad_rows) std::printf("  %s: %s\n", b.where().c_str(), b.reason.c_str());
    std::printf("checkpoint: %s\n", s.last_checkpoint.c_str());
    if (!s.model_dir.empty()) std::printf("model: %s\n", s.model_dir.c_str());
    if (!s.best_model_dir.empty())
        std::printf("best model: %s (validation loss %.4f)\n", s.best_model_dir.c_str(), s.best_val_loss);
}

}  // namespace shenbi::cli
