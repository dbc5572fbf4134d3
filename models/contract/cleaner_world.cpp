#include "cleaner_world.h"

#include <algorithm>

namespace mf::model::daemon {

CleanerWorld::CleanerWorld() {
  dir.path = kDefaultDirPath;
  dir.uid = kOwnUid;
  processes = {{kOwnPid, kOwnUid}, {kLiveProcess, kOwnUid}, {kForeignProcess, kOtherUid}, {kUnkillableProcess, kOwnUid}};
  kill_fails = {kUnkillableProcess};
}

namespace {
template <typename Entries>
auto entry_named(Entries& entries, const std::string& name) {
  return std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
}
}  // namespace

Entry* CleanerWorld::find(const std::string& name) {
  auto it = entry_named(dir.entries, name);
  return it == dir.entries.end() ? nullptr : &*it;
}

const Entry* CleanerWorld::find(const std::string& name) const {
  auto it = entry_named(dir.entries, name);
  return it == dir.entries.end() ? nullptr : &*it;
}

void CleanerWorld::put(Entry entry) {
  if (Entry* existing = find(entry.name)) {
    *existing = std::move(entry);
  } else {
    dir.entries.push_back(std::move(entry));
  }
}

bool CleanerWorld::erase(const std::string& name) {
  auto it = entry_named(dir.entries, name);
  if (it == dir.entries.end()) return false;
  dir.entries.erase(it);
  return true;
}

}  // namespace mf::model::daemon
