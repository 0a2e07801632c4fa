#include "core/sampling/eta.h"

#include <algorithm>

namespace shenbi {

void EtaEstimator::record(int done, double elapsed_s) {
    if (done > 1 && done == last_done_ + 1) steps_.push_back({static_cast<double>(done), elapsed_s - last_elapsed_});
    last_done_ = done;
    last_elapsed_ = elapsed_s;
}

double EtaEstimator::eta_s(int total) const {
    double measured = 0;
    for (const auto& s : steps_) measured += s.seconds;
    if (steps_.size() < 4 || measured < 0.5) return -1;
    // Least squares: seconds = a + b * index.
    const double n = static_cast<double>(steps_.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& s : steps_) sx += s.index, sy += s.seconds, sxx += s.index * s.index, sxy += s.index * s.seconds;
    const double den = n * sxx - sx * sx;
    const double b = den > 0 ? std::max(0.0, (n * sxy - sx * sy) / den) : 0.0;
    const double a = (sy - b * sx) / n;
    double left = 0;
    for (int k = last_done_ + 1; k <= total; ++k) left += std::max(0.0, a + b * k);
    return left;
}

}  // namespace shenbi
