// check_build.h - `mfh check`'s build: the given .s files in place of
// asm/'s files of the same name, each made resettable (mf-sut-prepare) and
// instrumented for coverage (mf-asm-instrument), every core file assembled,
// and the checking programs linked from the recipes harness/check/
// CMakeLists.txt writes.  No CMake step runs: about a second here.
#pragma once

#include <string>
#include <vector>

namespace mf::check {

struct CheckPrograms {
  std::string mfh;       // replay, minimise, reproduce
  std::string property;  // the RapidCheck state machines; empty when not built
  std::string fuzz;      // libFuzzer driver (MF_CHECK_TARGET); empty when not built
  std::string daemon;    // tests/daemon's real-OS suite on the real os.s; empty when not built
  std::string daemon_garbage;  // the same, its OS calls returning garbage (tests/daemon/garbage_os_returns.cpp)
  std::vector<std::string> notes;  // what preparing each given file did
  double seconds = 0;              // how long the whole build took
};

struct CheckBuildRequest {
  std::vector<std::string> files;  // the given .s files, absolute
  std::string work_dir;            // everything is written below it
  // Which programs to link besides mfh.
  bool property = true;
  bool fuzz = true;
  bool daemon = false;  // needs a build with tests/daemon (MF_BUILD_TESTS)
  // The core files not given are asm/'s own, unchanged since an earlier
  // call with this work_dir assembled them (a caller that checks many
  // variants of one file, as mfh mutate does, and clears the work_dir when
  // it starts): their objects, kept apart from the given files', are used
  // again instead of being prepared, instrumented and assembled once more.
  bool reuse_unchanged = false;
  // mfh too: a caller that has it from an earlier call with the same files
  // may leave it out (mfh mutate links each stage's program only when the
  // stage is reached).
  bool mfh = true;
};

// The core file names (asm/), in link order.
std::vector<std::string> core_file_names();

// The targets whose ops exercise a core file (panic.s: every failure path);
// empty for a file no target exercises (os.s: the simulated OS stands in).
std::vector<std::string> targets_of(const std::string& core_file);

// The targets whose traces exercise a core file together with the others
// (mixed, for the allocators' and the builtins' files): mfh check replays
// their traces; mfh mutate also runs their RapidCheck rounds and fuzzer.
std::vector<std::string> meeting_targets_of(const std::string& core_file);

// The .trace files directly in `dir`, sorted (none when it is no directory).
std::vector<std::string> traces_in(const std::string& dir);

// The command that assembles one .s file exactly as the build below does
// (asm/'s flags, `include_dir` for its .include lines): `mfh mutate` uses
// it to compare a mutant's code with the original's before building.
std::vector<std::string> assemble_command(const std::string& source, const std::string& include_dir,
                                          const std::string& object);

// Builds the programs; on failure returns false with the tool's output in
// `error`.
bool build_check_programs(const CheckBuildRequest& request, CheckPrograms& programs, std::string& error);

}  // namespace mf::check
