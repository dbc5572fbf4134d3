#include "addr.h"

#include <cstdio>

namespace mf::model {

namespace {
std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

std::string to_string(const Addr& addr) {
  switch (addr.base) {
    case Base::Raw:
      return addr.offset == 0 ? "null" : "raw " + hex(addr.offset);
    case Base::Page:
      return "page " + std::to_string(addr.handle) + "+" + hex(addr.offset);
    case Base::Block:
      return "block " + std::to_string(addr.handle) + "+" + hex(addr.offset);
    case Base::Arena:
      return "arena " + std::to_string(addr.handle) + "+" + hex(addr.offset);
    case Base::Pool:
      return "pool " + std::to_string(addr.handle) + "+" + hex(addr.offset);
  }
  return "?";
}

}  // namespace mf::model
