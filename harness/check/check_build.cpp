#include "check_build.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "check_config.h"
#include "op_table.h"
#include "subprocess.h"

namespace mf::check {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& text, const std::string& separators) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (separators.find(c) != std::string::npos) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// The objects, archives and flags of a recipe (check/<program>.rsp), in
// the order the link wants them: objects, then the archives as one group,
// then flags and libraries by name.
bool read_recipe(const std::string& program, std::vector<std::string>& objects, std::vector<std::string>& archives,
                 std::vector<std::string>& flags, std::string& error) {
  const std::string path = std::string(MF_CHECK_RECIPE_DIR) + "/" + program + ".rsp";
  std::ifstream in(path);
  if (!in) {
    error = "no recipe " + path + " (this build has no " + program + " program for mfh check)";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  for (const std::string& item : split(text.str(), "\n;")) {
    if (item.ends_with(".o")) {
      objects.push_back(item);
    } else if (item.ends_with(".a") || item.ends_with(".so")) {
      archives.push_back(item);
    } else {
      flags.push_back(item);
    }
  }
  return true;
}

std::vector<std::string> link_command(const std::string& output, const std::vector<std::string>& sut_objects,
                                      const std::vector<std::string>& objects, const std::vector<std::string>& archives,
                                      const std::vector<std::string>& flags, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {MF_CHECK_CXX};
  if (std::string(MF_CHECK_LLD).size() != 0) argv.push_back("-fuse-ld=lld");  // the fast linker, when installed
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("-o");
  argv.push_back(output);
  argv.insert(argv.end(), objects.begin(), objects.end());
  // Objects are linked whole, so every function the SUT defines is there for
  // the op table's weak references (harness/sut/morph_abi.h).
  argv.insert(argv.end(), sut_objects.begin(), sut_objects.end());
  argv.push_back("-Wl,--start-group");
  argv.insert(argv.end(), archives.begin(), archives.end());
  argv.push_back("-Wl,--end-group");
  argv.insert(argv.end(), flags.begin(), flags.end());
  return argv;
}

std::string failure(const std::string& what, const ProcessResult& r) {
  return what + " failed (exit " + std::to_string(r.exit_code) + "):\n" + r.output;
}

}  // namespace

std::vector<std::string> core_file_names() { return split(MF_CHECK_CORE_FILES, " "); }

std::vector<std::string> targets_of(const std::string& core_file) {
  static const std::map<std::string, std::vector<std::string>> kTargetsOf = {
      {"arena.s", {"arena"}},
      {"pool.s", {"pool"}},
      {"alloc.s", {"alloc", "builtins"}},
      {"builtins.s", {"builtins"}},
      {"panic.s", {"arena", "pool", "alloc", "builtins"}},
      {"daemon_cleaner.s", {"meminfo", "daemon"}},
  };
  const auto it = kTargetsOf.find(core_file);
  return it == kTargetsOf.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> meeting_targets_of(const std::string& core_file) {
  // mixed's traces make the files meet (an arena's block freed by mem_free,
  // a trim beside an arena's state): the files of every target whose ops
  // mixed takes.
  for (const std::string& name : targets_of(core_file)) {
    const std::optional<ops::Target> t = ops::target_from_name(name);
    if (t && (ops::mask_of(*t) & ops::kOwnOpsTargets) == 0) return {"mixed"};
  }
  return {};
}

std::vector<std::string> assemble_command(const std::string& source, const std::string& include_dir,
                                          const std::string& object) {
  std::vector<std::string> argv = {MF_CHECK_CC, "-c"};
  const std::vector<std::string> asm_flags = split(MF_CHECK_ASM_FLAGS, " ");
  argv.insert(argv.end(), asm_flags.begin(), asm_flags.end());
  argv.push_back("-Wa,-I" + include_dir);
  argv.insert(argv.end(), {source, "-o", object});
  return argv;
}

bool build_check_programs(const CheckBuildRequest& request, CheckPrograms& programs, std::string& error) {
  const auto began = std::chrono::steady_clock::now();
  const fs::path work = request.work_dir;
  for (const char* sub : {"src", "cov", "obj", "covobj", "asm-cov", "asm-obj", "asm-covobj"}) {
    fs::create_directories(work / sub);
  }

  // 1. Each core file: the given one, prepared, or asm/'s own.  asm/'s own
  //    are built into folders of their own ("asm-"), so that an object
  //    there is always asm/'s, whatever file an earlier call was given.
  struct Source {
    std::string name, path, include_dir;
    bool given = false;
    std::string prefix() const { return given ? "" : "asm-"; }
  };
  std::vector<Source> sources;
  std::vector<std::vector<std::string>> prepare;
  for (const std::string& name : core_file_names()) {
    Source s{name, std::string(MF_CHECK_SOURCE_DIR) + "/asm/" + name, std::string(MF_CHECK_SOURCE_DIR) + "/asm"};
    for (const std::string& given : request.files) {
      if (fs::path(given).filename() == name) {
        s.path = (work / "src" / name).string();
        s.include_dir = fs::path(given).parent_path().string();
        s.given = true;
        prepare.push_back({MF_CHECK_PREPARE, given, s.path});
      }
    }
    sources.push_back(s);
  }
  for (const ProcessResult& r : run_in_parallel(prepare)) {
    if (r.exit_code != 0) {
      error = failure("mf-sut-prepare", r);
      return false;
    }
    std::string note = r.output;
    while (!note.empty() && note.back() == '\n') note.pop_back();
    programs.notes.push_back(note);
  }

  // 2. Instrumented copies, for the fuzzer's coverage of the assembly.
  if (request.fuzz) {
    std::vector<std::vector<std::string>> instrument;
    for (const Source& s : sources) {
      const std::string out = (work / (s.prefix() + "cov") / s.name).string();
      if (!s.given && request.reuse_unchanged && fs::exists(work / "asm-covobj" / (s.name + ".o"))) continue;
      instrument.push_back({MF_CHECK_INSTRUMENT, "--name", s.name, "--output", out, "--map", out + ".covmap", s.path});
    }
    for (const ProcessResult& r : run_in_parallel(instrument)) {
      if (r.exit_code != 0) {
        error = failure("mf-asm-instrument", r);
        return false;
      }
    }
  }

  // 3. Assemble, plain and instrumented, all at once.
  std::vector<std::vector<std::string>> assemble;
  std::vector<std::string> plain_objects, cov_objects;
  auto assemble_one = [&](const std::string& source, const std::string& include_dir, const std::string& object) {
    assemble.push_back(assemble_command(source, include_dir, object));
  };
  for (const Source& s : sources) {
    // An object of asm/'s own file that an earlier call made (reuse_unchanged).
    auto kept = [&](const std::string& object) { return !s.given && request.reuse_unchanged && fs::exists(object); };
    plain_objects.push_back((work / (s.prefix() + "obj") / (s.name + ".o")).string());
    if (!kept(plain_objects.back())) assemble_one(s.path, s.include_dir, plain_objects.back());
    if (request.fuzz) {
      cov_objects.push_back((work / (s.prefix() + "covobj") / (s.name + ".o")).string());
      if (!kept(cov_objects.back())) {
        assemble_one((work / (s.prefix() + "cov") / s.name).string(), s.include_dir, cov_objects.back());
      }
    }
  }
  for (const ProcessResult& r : run_in_parallel(assemble)) {
    if (r.exit_code != 0) {
      error = failure("assembling", r);
      return false;
    }
  }

  // 4. Link the programs.
  std::vector<std::vector<std::string>> links;
  std::vector<std::string> names;
  auto add_link = [&](const std::string& program, const std::vector<std::string>& sut, std::vector<std::string> extra,
                      std::string& out) -> bool {
    std::vector<std::string> objects, archives, flags;
    if (!read_recipe(program, objects, archives, flags, error)) return false;
    out = (work / program).string();
    links.push_back(link_command(out, sut, objects, archives, flags, extra));
    names.push_back(program);
    return true;
  };
  if (request.mfh && !add_link("mfh", plain_objects, {}, programs.mfh)) return false;
  if (request.property && !add_link("property", plain_objects, {}, programs.property)) programs.property.clear();
  if (request.fuzz && !add_link("fuzz", cov_objects, split(MF_CHECK_ENGINE, " "), programs.fuzz)) programs.fuzz.clear();
  if (request.daemon && !add_link("daemon", plain_objects, {}, programs.daemon)) programs.daemon.clear();
  if (request.daemon && !add_link("daemon_garbage", plain_objects, {}, programs.daemon_garbage)) {
    programs.daemon_garbage.clear();
  }
  error.clear();
  const std::vector<ProcessResult> linked = run_in_parallel(links);
  for (std::size_t i = 0; i < linked.size(); ++i) {
    if (linked[i].exit_code != 0) {
      error = failure("linking " + names[i], linked[i]);
      return false;
    }
  }
  programs.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return true;
}

std::vector<std::string> traces_in(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".trace") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace mf::check
