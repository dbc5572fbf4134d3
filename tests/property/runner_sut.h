// runner_sut.h - the "system under test" of the RapidCheck state machines:
// one differential runner Session (runner.h, simulated OS), which runs every
// op on the assembly and on the reference model and compares them.  The
// commands never call the SUT or the model themselves.
#pragma once

#include <vector>

#include "op.h"
#include "runner.h"

namespace mf::property {

class RunnerSut {
 public:
  explicit RunnerSut(ops::Target target);
  ~RunnerSut();
  RunnerSut(const RunnerSut&) = delete;
  RunnerSut& operator=(const RunnerSut&) = delete;

  // Runs one op through the Session; a divergence (or an op the runner
  // cannot run) fails the property with the report of failure_report.h.
  void step(const ops::Op& op);
  // The end-of-run checks over every live object.
  void finish();

 private:
  [[noreturn]] void fail();

  ops::Trace trace_;  // every op stepped so far
  std::vector<bool> skipped_;
  runner::Session session_;
  bool finished_ = false;
};

}  // namespace mf::property
