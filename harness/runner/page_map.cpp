#include "page_map.h"

#include <cstdio>
#include <string>

namespace mf::runner {

void PageMap::bind(model::PageHandle page, std::uint64_t base, std::uint64_t size) {
  by_base_[base] = Entry{page, size};
  if (base_by_page_.size() <= page) base_by_page_.resize(page + 1, 0);
  base_by_page_[page] = base;
}

void PageMap::unbind(model::PageHandle page) {
  if (page >= base_by_page_.size() || base_by_page_[page] == 0) return;
  by_base_.erase(base_by_page_[page]);
  base_by_page_[page] = 0;
}

void PageMap::clear() {
  by_base_.clear();
  base_by_page_.clear();
}

std::optional<model::PageHandle> PageMap::page_at_base(std::uint64_t base) const {
  auto it = by_base_.find(base);
  if (it == by_base_.end()) return std::nullopt;
  return it->second.page;
}

std::optional<model::Addr> PageMap::locate(std::uint64_t addr) const {
  auto it = by_base_.upper_bound(addr);
  if (it == by_base_.begin()) return std::nullopt;
  --it;
  if (addr - it->first >= it->second.size) return std::nullopt;
  return model::Addr::page(it->second.page, addr - it->first);
}

std::optional<std::uint64_t> PageMap::base_of(model::PageHandle page) const {
  if (page >= base_by_page_.size() || base_by_page_[page] == 0) return std::nullopt;
  return base_by_page_[page];
}

std::optional<std::uint64_t> PageMap::absolute(const model::Addr& addr) const {
  if (addr.base == model::Base::Raw) return addr.offset;
  if (addr.base != model::Base::Page) return std::nullopt;
  std::optional<std::uint64_t> base = base_of(addr.handle);
  if (!base) return std::nullopt;
  return *base + addr.offset;
}

std::string PageMap::describe(std::uint64_t addr) const {
  if (addr == 0) return "null";
  if (std::optional<model::Addr> a = locate(addr)) return model::to_string(*a);
  char buf[32];
  std::snprintf(buf, sizeof buf, "raw 0x%llx", static_cast<unsigned long long>(addr));
  return buf;
}

}  // namespace mf::runner
