// known_findings.h - the signatures that are not news: every trace under
// corpus/regressions/ that names its signature ("# signature: MF-DIVERGENCE
// ..." after the header, as `mfh triage` and `mfh minimize` write them), and
// corpus/known_findings.txt, where each line is a signature, " | ", and the
// reason it is known (an open bug, a contract question), e.g.
//
//   MF-DIVERGENCE target=pool op=pool_free field=... | issue 42: double free not caught yet
//
// '#' starts a comment line there.  A line that is not a signature with a
// reason is an error, reported with its line number, never skipped silently.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mf::mfh {

class KnownFindings {
 public:
  // Adds every signature of the traces below `dir` (recursively).  A
  // missing directory adds nothing.
  void add_regressions(const std::string& dir);
  // Adds the list; false, with `error` set, if it cannot be read or a line
  // is malformed.  A missing file adds nothing.
  bool add_list(const std::string& path, std::string& error);

  // Why a signature line is known, or "" when it is not.
  std::string reason(const std::string& signature_line) const;
  std::size_t size() const { return reasons_.size(); }

 private:
  std::map<std::string, std::string> reasons_;
};

}  // namespace mf::mfh
