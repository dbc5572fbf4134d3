// mf-sut-prepare IN.s OUT.s: writes IN.s with its mutable globals moved
// into morph_state (state_sections.h) and says what it moved.  The build
// runs it on every file of MF_ASM_OVERRIDES, `mfh check` on every file it
// is given.  Exit 0 written, 1 a construct that cannot be made resettable
// (nothing written), 2 bad usage or an unreadable or unwritable file.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "state_sections.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mf-sut-prepare IN.s OUT.s\n");
    return 2;
  }
  const std::string in_path = argv[1];
  const std::string out_path = argv[2];
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "mf-sut-prepare: cannot read %s\n", in_path.c_str());
    return 2;
  }
  std::ostringstream source;
  source << in.rdbuf();
  const mf::sut_prepare::StateRewrite rewrite = mf::sut_prepare::move_state_into_morph_state(source.str());
  const std::string name = in_path.substr(in_path.find_last_of('/') + 1);
  if (!rewrite.errors.empty()) {
    for (const std::string& e : rewrite.errors) std::fprintf(stderr, "mf-sut-prepare: %s: %s\n", in_path.c_str(), e.c_str());
    return 1;
  }
  const std::string tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << rewrite.text;
    out.flush();
    if (!out) {
      std::fprintf(stderr, "mf-sut-prepare: cannot write %s\n", tmp.c_str());
      std::remove(tmp.c_str());
      return 2;
    }
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    std::fprintf(stderr, "mf-sut-prepare: cannot write %s\n", out_path.c_str());
    std::remove(tmp.c_str());
    return 2;
  }
  std::printf("%s\n", mf::sut_prepare::describe(name, rewrite).c_str());
  return 0;
}
