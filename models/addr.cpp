#include "addr.h"

#include <cstdio>
#include "hex_text.h"

namespace mf::model {

namespace {
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
