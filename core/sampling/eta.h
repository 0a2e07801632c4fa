// Time left in a generation, from the measured durations of its steps.
// The first step holds the prompt's prefill and is left out; later steps
// grow with position (attention over a longer cache, previews every few
// steps), so the time left is the linear trend of the step durations summed
// over the steps to come. Before 4 measured steps and 0.5 s it is unknown:
// an estimate from the first instants of a long run (8.9 s said, 3 min
// taken) is worse than none.
#pragma once

#include <vector>

namespace shenbi {

class EtaEstimator {
public:
    // After step `done` (1-based), `elapsed_s` since the run started.
    void record(int done, double elapsed_s);
    // Seconds left until step `total`; -1 while unknown.
    double eta_s(int total) const;

private:
    struct Step {
        double index, seconds;
    };
    std::vector<Step> steps_;  // from the second step on
    int last_done_ = 0;
    double last_elapsed_ = 0;
};

}  // namespace shenbi
