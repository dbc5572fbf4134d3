// child_wire.h - what a forked run's child sends its parent over the pipe:
// 'O' records (one observed outcome each) and one final 'R' record (the run's
// result).  Both ends are this program, so the encoding is the machine's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "op.h"
#include "runner.h"

namespace mf::runner {

class WireOut {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void u64(std::uint64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), 8); }
  void str(const std::string& s) {
    u64(s.size());
    bytes_ += s;
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

// Reading stops (ok() false) at the first record that runs past the end.
class WireIn {
 public:
  explicit WireIn(std::string_view bytes) : bytes_(bytes) {}
  bool more() const { return pos_ < bytes_.size(); }
  bool ok() const { return ok_; }
  std::uint8_t u8();
  std::uint64_t u64();
  std::string str();

 private:
  std::uint8_t fail();
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

void put_expectation(WireOut& out, std::size_t index, const ops::Expectation& e);  // an 'O' record
ops::Expectation get_expectation(WireIn& in);  // after its 'O' and index
void put_result(WireOut& out, const RunResult& r);  // an 'R' record (observed outcomes excluded)
void get_result(WireIn& in, RunResult& r);          // after its 'R'

}  // namespace mf::runner
