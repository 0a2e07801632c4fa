// Where the time of some LibTorch work goes, op by op: LibTorch's (legacy,
// CPU) profiler records every op run on the calling thread, and the ops are
// summed by name into self time (an op's time minus the ops it called).
// `bench generate --profile` prints it for decoding steps.
#pragma once

#include <string>

namespace shenbi::cli {

// Profiles what the calling thread runs from start() to finish().
class OpProfile {
public:
    void start();
    // A Markdown table of the `top` ops by self time: name, calls and self
    // ms per `per` (e.g. per token step), share of the time profiled.
    std::string finish(int top, int per, const std::string& per_name);

private:
    double start_us_ = 0;
};

}  // namespace shenbi::cli
