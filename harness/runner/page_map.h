// page_map.h - the bijection between the SUT's pages (real addresses) and
// the model's page handles.  A page is bound when the model says an op mapped
// it (to the SUT's new list head) and unbound when the model says it was
// released; every SUT pointer is then expressed as model page + offset.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "addr.h"

namespace mf::runner {

class PageMap {
 public:
  void bind(model::PageHandle page, std::uint64_t base, std::uint64_t size);
  void unbind(model::PageHandle page);
  void clear();

  bool is_bound_base(std::uint64_t base) const { return by_base_.count(base) != 0; }
  std::optional<model::PageHandle> page_at_base(std::uint64_t base) const;
  // The bound page holding addr, as model page + offset.
  std::optional<model::Addr> locate(std::uint64_t addr) const;
  // The SUT address of a model address in a bound page (or a Raw one).
  std::optional<std::uint64_t> absolute(const model::Addr& addr) const;
  std::optional<std::uint64_t> base_of(model::PageHandle page) const;
  std::size_t size() const { return by_base_.size(); }

  // canonical SUT pointer text: "page 3+0x270" or "raw 0x..." / "null".
  std::string describe(std::uint64_t addr) const;

 private:
  struct Entry {
    model::PageHandle page;
    std::uint64_t size;
  };
  std::map<std::uint64_t, Entry> by_base_;
  std::vector<std::uint64_t> base_by_page_;  // 0: not bound
};

}  // namespace mf::runner
