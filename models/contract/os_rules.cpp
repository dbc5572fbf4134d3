#include "os_rules.h"

namespace mf::model {

void OsRules::reset(std::uint64_t memory_limit) {
  *this = OsRules{};
  memory_limit_ = memory_limit;
}

}  // namespace mf::model
