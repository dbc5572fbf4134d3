// huge_page_heap.cpp
#include "huge_page_heap.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace mf::proof {

void run_on_huge_page_heap(char** argv) {
  const char* current = std::getenv("GLIBC_TUNABLES");
  const std::string tunables = current ? current : "";
  // Set already (by the run before the re-execution, or by the caller,
  // who may also set it to 0): never a second time, so never a loop.
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  const std::string with_huge_pages = (tunables.empty() ? "" : tunables + ":") + "glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", with_huge_pages.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // No re-execution (no /proc, say): the same proofs on small pages.
  if (current) setenv("GLIBC_TUNABLES", current, 1);
  else unsetenv("GLIBC_TUNABLES");
}

}  // namespace mf::proof
