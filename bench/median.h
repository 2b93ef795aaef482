#pragma once
// What the C++ benchmarks share: the median wall time of repeated runs.
#include <algorithm>
#include <chrono>
#include <vector>

namespace envbuilder::bench {

// The median, in milliseconds, of `runs` calls of f.
template <typename F>
double median_ms(int runs, F&& f) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        f();
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace envbuilder::bench
