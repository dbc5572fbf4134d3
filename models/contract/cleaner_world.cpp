#include "cleaner_world.h"

#include <algorithm>

namespace mf::model::daemon {

CleanerWorld::CleanerWorld() {
  dir.path = "/tmp/morph_swap_monitor";
  dir.uid = kOwnUid;
  processes = {{kOwnPid, kOwnUid}, {kLiveProcess, kOwnUid}, {kForeignProcess, kOtherUid}, {kUnkillableProcess, kOwnUid}};
  kill_fails = {kUnkillableProcess};
}

Entry* CleanerWorld::find(const std::string& name) {
  auto it = std::find_if(dir.entries.begin(), dir.entries.end(), [&](const Entry& e) { return e.name == name; });
  return it == dir.entries.end() ? nullptr : &*it;
}

const Entry* CleanerWorld::find(const std::string& name) const {
  auto it = std::find_if(dir.entries.begin(), dir.entries.end(), [&](const Entry& e) { return e.name == name; });
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
  auto it = std::find_if(dir.entries.begin(), dir.entries.end(), [&](const Entry& e) { return e.name == name; });
  if (it == dir.entries.end()) return false;
  dir.entries.erase(it);
  return true;
}

}  // namespace mf::model::daemon
