// time_scale.h - the one knob of tests/daemon for a loaded machine:
// MF_DAEMON_TEST_TIME_SCALE, a whole factor (default 1) that multiplies
// every wait, deadline and observation window of the suite, and the
// margins of its timestamps.
//
// The suite waits on the wall clock (a pass within 3 s, a daemon that ends
// within 5 s of SIGTERM), so a machine loaded several times over can fail
// a test of the correct code.  mfh mutate's daemon stage (harness/mutate/
// daemon_stage.h) reruns a failure with the factor raised before it counts
// a kill.  A larger factor only waits longer for what should happen (a
// correct run ends its waits as soon as the condition holds) and watches
// longer for what should not.  It never changes a value the cleaner is
// tested with (an interval of 3 scaled to 12 would pass a mutant that
// sleeps 1 s for every interval below 9): the tests that measure the
// daemon's interval widen their window only, and bound the passes by the
// time the window really had (start_test.cpp).  The SIGTERM tests' long
// interval (30 s) is scaled, as it only has to outlast their deadlines.
#pragma once

#include <chrono>

namespace daemon_test {

// The factor: read once, at the program's start; a value that is not a
// whole number from 1 to 20 ends the program (exit 2) before any test.
int time_scale();

// `base` multiplied by the factor.
std::chrono::milliseconds scaled(std::chrono::milliseconds base);

}  // namespace daemon_test
