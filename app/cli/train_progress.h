// What the training commands print while a run goes and when it ends: a
// progress bar on stderr (redrawn in place on a terminal, a line every 10 s
// otherwise, e.g. under nohup), the trainer's messages between its redraws,
// and the summary on stdout.
#pragma once

#include <chrono>
#include <string>

#include "core/train/trainer.h"

namespace shenbi::cli {

// Used from the thread that runs train() (its hooks), like TrainHooks.
class TrainProgress {
public:
    // Only rank 0 draws the bar (the trainer sends messages from rank 0 only).
    explicit TrainProgress(bool rank0);

    // A message on a line of its own, below the bar if one is drawn.
    void message(const std::string& text);
    void step(const StepEvent& e);
    // Ends the bar's line after the run.
    void close();

private:
    bool rank0_;
    bool tty_;
    bool bar_open_ = false;  // the cursor is at the end of the bar's line
    std::chrono::steady_clock::time_point last_print_;
};

// The run's figures, bad rows and where its checkpoint and models are (stdout).
void print_train_summary(const TrainSummary& s);

}  // namespace shenbi::cli
