// --nproc N of the training commands: a data-parallel world of N processes
// on this machine. Linux only: it reads the command line and the executable
// from /proc/self and starts the ranks with posix_spawn.
#pragma once

#include "app/cli/command.h"

namespace shenbi::cli {

// Starts `nproc` copies of this process's command line, --nproc removed and
// --rank R --local_rank R --world_size N --master_addr 127.0.0.1
// --master_port P appended (P: --master_port, else 29500 + pid % 1000), and
// waits for them all; Ctrl-C reaches the ranks, which checkpoint. Returns the
// exit status of the first rank that failed (1 if a signal ended it), after
// stopping the others, which would wait for it in a collective; 1 when a
// rank cannot start; else 0.
int spawn_local_world(int nproc, const Args& args);

}  // namespace shenbi::cli
