// page_memory.h - the contents of one page, byte by byte, as far as the
// model knows them.  A fresh mapping is all zero (mmap zero-fills); a byte
// becomes unknown when the allocator stores something the model does not
// predict there (a free-list link that is an absolute address, a header).
// Only touched 512-byte chunks are stored, so a 1 GiB large page costs
// nothing until it is written, and a header or a free-list link costs one
// small chunk (making chunks of 4 KiB was about a tenth of a pool fuzzer's
// time: measured with perf).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>

namespace mf::model {

class PageMemory {
 public:
  PageMemory() = default;
  // The lookup cache below points into chunks_: a copy starts without one.
  PageMemory(const PageMemory& other) : chunks_(other.chunks_) {}
  PageMemory(PageMemory&& other) noexcept : chunks_(std::move(other.chunks_)) { other.drop_cache(); }
  PageMemory& operator=(const PageMemory& other) {
    chunks_ = other.chunks_;
    drop_cache();
    return *this;
  }
  PageMemory& operator=(PageMemory&& other) noexcept {
    chunks_ = std::move(other.chunks_);
    drop_cache();
    other.drop_cache();
    return *this;
  }

  std::optional<std::uint8_t> read(std::uint64_t offset) const;
  // The index of the first of `have`'s bytes, standing at offset onwards,
  // that differs from a known byte here; unknown bytes match anything.
  std::optional<std::uint64_t> first_known_difference(std::uint64_t offset, std::span<const std::uint8_t> have) const;
  void write(std::uint64_t offset, std::uint8_t value);
  // The same for every byte of `bytes`, a chunk at a time (the runner's
  // patterns fill whole blocks: byte by byte that was half of a builtins
  // fuzzer's time).
  void write(std::uint64_t offset, std::span<const std::uint8_t> bytes);
  void forget(std::uint64_t offset, std::uint64_t length);  // bytes become unknown
  void zero(std::uint64_t offset, std::uint64_t length);
  // Stores value little-endian at offset..offset+7 (all eight bytes known).
  void write_quad(std::uint64_t offset, std::uint64_t value);

 private:
  static constexpr std::uint64_t kChunkBytes = 1024;
  struct Chunk {  // value-initialised: all known zero
    std::array<std::uint8_t, kChunkBytes> bytes{};
    std::array<bool, kChunkBytes> unknown{};
  };
  Chunk& chunk_for(std::uint64_t offset);
  const Chunk* find_chunk(std::uint64_t key) const;
  void drop_cache() const { cached_ = nullptr; }

  std::map<std::uint64_t, Chunk> chunks_;  // key: offset / kChunkBytes; absent = zero
  // The last chunk looked up: the model reads and writes byte by byte, mostly
  // within one chunk, and a map lookup per byte was a tenth of a runner op.
  // Map nodes stay put until erased, and only zero() erases (it drops this).
  mutable std::uint64_t cached_key_ = 0;
  mutable const Chunk* cached_ = nullptr;
};

}  // namespace mf::model
