// mf-asm-instrument: writes a coverage-instrumented copy of a GNU as (AT&T)
// source file and the map of its counters.  See README.md in this folder.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cov_map.h"
#include "instrumenter.h"

namespace {

constexpr const char* kUsage =
    "usage: mf-asm-instrument [--name NAME] [--id ID] --output OUT.s --map OUT.map INPUT.s\n"
    "  --name NAME  the file's name in the map, its record and line markers\n"
    "               (default: INPUT's base name); relative, [A-Za-z0-9._+/-]\n"
    "  --id ID      symbol fragment: the counters are __mf_asm_cov_<ID>_counters\n"
    "               (default: NAME without extension, other characters as '_')\n";

int usage_error(const std::string& what) {
  std::cerr << "mf-asm-instrument: " << what << "\n" << kUsage;
  return 2;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "mf-asm-instrument: cannot write " << path << "\n";
    std::remove(path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name, id, output, map_path, input;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--name") {
      ok = value(name);
    } else if (arg == "--id") {
      ok = value(id);
    } else if (arg == "--output" || arg == "-o") {
      ok = value(output);
    } else if (arg == "--map") {
      ok = value(map_path);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (!arg.empty() && arg.front() == '-') {
      return usage_error("unknown option " + arg);
    } else if (input.empty()) {
      input = arg;
    } else {
      return usage_error("more than one input file");
    }
    if (!ok) return usage_error(arg + " needs a value");
  }
  if (input.empty() || output.empty() || map_path.empty())
    return usage_error("INPUT, --output and --map are required");
  if (name.empty()) name = input.substr(input.find_last_of('/') + 1);
  if (!mf::asm_cov::is_valid_file_name(name))
    return usage_error("--name '" + name + "' must be relative and use [A-Za-z0-9._+/-] only");
  if (id.empty()) id = mf::asm_cov::default_symbol_id(name);
  if (!mf::asm_cov::is_valid_symbol_id(id))
    return usage_error("--id '" + id + "' is not a C identifier fragment");

  std::ifstream in(input, std::ios::binary);
  if (!in) {
    std::cerr << "mf-asm-instrument: cannot read " << input << "\n";
    return 1;
  }
  std::ostringstream source;
  source << in.rdbuf();

  mf::asm_cov::Instrumented result =
      mf::asm_cov::instrument(source.str(), {name, id});
  for (const std::string& w : result.warnings)
    std::cerr << name << ": warning: " << w << "\n";
  if (!write_file(output, result.text) ||
      !write_file(map_path, mf::asm_cov::format_map(result.map)))
    return 1;
  return 0;
}
