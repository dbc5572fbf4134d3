// code_proof_main.cpp - mf_code_proof: proves one function of the assembled
// builtins against its spec, reading the object files the library is built
// from.
//
//   mf_code_proof --objdump <objdump> --proof <name> [--trace <file>]
//                 [--expect-counterexample] [--no-loop-summaries] <object>...
//   mf_code_proof --objdump <objdump> --all <object>...
//
// Exit status: 0 proved; 1 a counterexample (printed, and written as a
// trace); 2 the proof could not be carried out.  With
// --expect-counterexample (the prover's self-tests on deliberately broken
// copies of the assembly) the status is 0 exactly when a counterexample was
// found and its trace written.
//
// --all takes any objects, ours or someone else's (`mfh check --proofs`
// assembles the given .s files for it): it runs every proof whose function
// the objects define, and lists as "not proved" the proofs whose function
// they lack and the global functions they define that no proof covers.  Its
// status is the worst of the proofs run: 0 when every one that ran proved.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>
#include <cstdio>
#include <fstream>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include "code_digest.h"
#include "huge_page_heap.h"
#include "object_code.h"
#include "prover.h"
#include "solver_budget.h"
#include "text_format.h"
#include "specs/spec_registry.h"

namespace {

int usage() {
  std::cerr << "usage: mf_code_proof --objdump <objdump> --proof <name> [--trace <file>]\n"
               "                     [--expect-counterexample] [--no-loop-summaries] [--verbose]\n"
               "                     [--selftest-contradict-after <callee>] <object>...\n"
               "       mf_code_proof --objdump <objdump> --all [--no-loop-summaries] <object>...\n"
               "proofs:";
  for (const std::string& name : mf::proof::spec_names()) std::cerr << " " << name;
  std::cerr << "\n";
  return 2;
}

bool trace_written(const std::string& path) {
  std::ifstream in(path);
  std::string header;
  return in && std::getline(in, header) && header.rfind(mf::ops::kTextHeaderPrefix, 0) == 0;
}

bool defines_function(const mf::proof::ObjectCode& code, const std::string& function) {
  const mf::proof::Symbol* s = code.defined_symbol(function);
  return s && s->is_function;
}

// The first of `objects` that defines `function` as a function, loaded;
// nullopt when none does.
std::optional<mf::proof::ObjectCode> object_defining(const std::string& objdump, const std::vector<std::string>& objects,
                                                     const std::string& function) {
  for (const std::string& path : objects) {
    mf::proof::ObjectCode candidate = mf::proof::ObjectCode::load(objdump, path);
    if (defines_function(candidate, function)) return candidate;
  }
  return std::nullopt;
}

// One proof over the objects: the exit status of the header.  `find_code`
// gives the object that defines the proof's function (nullopt: none does);
// it may throw.
template <typename FindCode>
int prove_one(FindCode find_code, const std::string& proof, mf::proof::ProverOptions options,
              const std::string& trace, bool expect_counterexample) {
  // Never deleted: freeing a context that holds a whole proof's terms
  // takes Z3 longer than most proofs (10 s of mem_alloc's 17 s of CPU),
  // and the process ends right after the proof (prove_all forks one
  // process per proof for this reason).
  z3::context& ctx = *new z3::context;
  auto spec = mf::proof::make_spec(proof);
  if (!spec) {
    std::cerr << "unknown proof " << proof << "\n";
    return usage();
  }
  options.trace_path = trace;
  if (!trace.empty()) std::remove(trace.c_str());

  auto started = std::chrono::steady_clock::now();
  mf::proof::ProofOutcome outcome;
  try {
    const std::string function = spec->function();
    std::optional<mf::proof::ObjectCode> code = find_code(function);
    if (!code) {
      std::cout << "PROOF ERROR: no object defines the function " << function << "\n";
      return expect_counterexample ? 1 : 2;
    }
    std::cout << proof << ": " << function << " in " << code->path() << "\n";
    const mf::proof::CodeDigest digest = mf::proof::code_digest(*code, function);
    std::cout << "code: " << function << ", " << digest.size << " bytes, sha256 " << digest.sha256
              << " (bytes and relocations)\n";
    outcome = mf::proof::prove(ctx, *code, *spec, options, std::cout);
  } catch (const std::exception& e) {
    std::cout << "PROOF ERROR: " << e.what() << "\n";
    return expect_counterexample ? 1 : 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "time: " << seconds << " s\n";
  // The solver effort is what bounds a verdict (solver_budget.h), not the time.
  std::cout << "solver effort: " << mf::proof::budget_usage() << "\n";

  using Status = mf::proof::ProofOutcome::Status;
  if (expect_counterexample) {
    bool ok = outcome.status == Status::counterexample && !trace.empty() && trace_written(trace);
    std::cout << (ok ? "OK: the broken code is refuted with a counterexample and a trace\n"
                     : "FAILED: expected a counterexample and a written trace\n");
    return ok ? 0 : 1;
  }
  return outcome.status == Status::proved ? 0 : outcome.status == Status::counterexample ? 1 : 2;
}

// One proof of --all in a process of its own, which ends without freeing
// the proof's Z3 context (see prove_one); its exit status is prove_one's.
// The child finds its function among the objects the parent loaded: each
// load runs objdump four times and parses its output (about 65 ms of CPU
// an object here), and reloading them in every child was about 3 s of the
// whole set's CPU.
int prove_one_in_a_child(const std::vector<mf::proof::ObjectCode>& loaded, const std::string& proof,
                         const mf::proof::ProverOptions& options) {
  auto find_loaded = [&](const std::string& function) -> std::optional<mf::proof::ObjectCode> {
    for (const mf::proof::ObjectCode& code : loaded)
      if (defines_function(code, function)) return code;
    return std::nullopt;
  };
  std::fflush(stdout);
  std::cout.flush();
  const pid_t child = fork();
  if (child < 0) return prove_one(find_loaded, proof, options, "", false);
  if (child == 0) {
    const int status = prove_one(find_loaded, proof, options, "", false);
    std::cout.flush();
    std::fflush(stdout);
    _exit(status);
  }
  int wait_status = 0;
  while (waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  std::cout << "PROOF ERROR: the process proving " << proof << " ended by signal "
            << (WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0) << "\n";
  return 2;
}

// --all: every proof whose function the objects define.
int prove_all(const std::string& objdump, const std::vector<std::string>& objects,
              const mf::proof::ProverOptions& options) {
  std::set<std::string> defined_functions;
  std::vector<mf::proof::ObjectCode> loaded;
  try {
    for (const std::string& path : objects) {
      loaded.push_back(mf::proof::ObjectCode::load(objdump, path));
      for (const mf::proof::Symbol& s : loaded.back().symbols()) {
        if (s.global && s.is_function && s.section != "*UND*") defined_functions.insert(s.name);
      }
    }
  } catch (const std::exception& e) {
    std::cout << "PROOF ERROR: " << e.what() << "\n";
    return 2;
  }
  int worst = 0;
  std::set<std::string> covered;
  std::vector<std::string> not_proved;
  for (const std::string& proof : mf::proof::spec_names()) {
    const std::string function = mf::proof::make_spec(proof)->function();
    covered.insert(function);
    if (defined_functions.count(function) == 0) {
      not_proved.push_back(proof + " (" + function + " is not in the given objects)");
      continue;
    }
    std::cout << "==== " << proof << "\n";
    const int status = prove_one_in_a_child(loaded, proof, options);
    std::cout << proof << ": " << (status == 0 ? "PROVED" : status == 1 ? "REFUTED" : "NO VERDICT") << "\n";
    worst = std::max(worst, status);
  }
  for (const std::string& f : defined_functions) {
    if (covered.count(f) == 0) not_proved.push_back(f + " (no proof of it)");
  }
  for (const std::string& n : not_proved) std::cout << "not proved: " << n << "\n";
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  mf::proof::run_on_huge_page_heap(argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows even if a run is cut short
  std::string objdump, proof, trace;
  bool expect_counterexample = false;
  bool all = false;
  mf::proof::ProverOptions options;
  std::vector<std::string> objects;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--objdump") objdump = value();
    else if (arg == "--proof") proof = value();
    else if (arg == "--trace") trace = value();
    else if (arg == "--expect-counterexample") expect_counterexample = true;
    else if (arg == "--all") all = true;
    else if (arg == "--no-loop-summaries") options.executor.loop_summaries = false;
    else if (arg == "--verbose") options.executor.verbose = true;
    else if (arg == "--selftest-contradict-after") options.executor.selftest_contradict_after = value();
    else if (!arg.empty() && arg[0] == '-') return usage();
    else objects.push_back(arg);
  }
  if (objdump.empty() || objects.empty() || (proof.empty() != all)) return usage();
  if (all) return prove_all(objdump, objects, options);
  auto load_defining = [&](const std::string& function) { return object_defining(objdump, objects, function); };
  return prove_one(load_defining, proof, options, trace, expect_counterexample);
}
