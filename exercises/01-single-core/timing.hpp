// timing.hpp — how this lesson times a piece of code.
#pragma once

#include <algorithm>
#include <chrono>

// Best wall time of `repeat` calls of f, after one untimed warm-up call
// (which pulls the data into whatever cache it fits in and settles the clock
// frequency).  Best of several, not the mean: on a shared machine the
// fastest run is the one least disturbed by others.
template <class F>
double best_time(int repeat, F f)
{
  using clock = std::chrono::steady_clock;
  f();
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(clock::now() - t0).count());
  }
  return best;
}
