#include "page_memory.h"

#include <algorithm>

namespace mf::model {

const PageMemory::Chunk* PageMemory::find_chunk(std::uint64_t key) const {
  if (cached_ != nullptr && cached_key_ == key) return cached_;
  auto it = chunks_.find(key);
  if (it == chunks_.end()) return nullptr;  // not cached: it may be created later
  cached_key_ = key;
  cached_ = &it->second;
  return cached_;
}

std::optional<std::uint8_t> PageMemory::read(std::uint64_t offset) const {
  const Chunk* chunk = find_chunk(offset / kChunkBytes);
  if (chunk == nullptr) return std::uint8_t{0};
  std::uint64_t i = offset % kChunkBytes;
  if (chunk->unknown[i]) return std::nullopt;
  return chunk->bytes[i];
}

namespace {

// Whether some known byte of want differs from have's (n bytes each).
// Without an early exit, so that the compiler compares many bytes at once:
// a byte counts when it differs and is known (unknown - 1 is 0xFF for a
// known byte, 0 for an unknown one).
bool any_known_difference(const std::uint8_t* want, const bool* unknown, const std::uint8_t* have, std::size_t n) {
  std::uint8_t differences = 0;
  for (std::size_t k = 0; k < n; ++k) {
    differences |= static_cast<std::uint8_t>((want[k] ^ have[k]) & static_cast<std::uint8_t>(unknown[k] - 1));
  }
  return differences != 0;
}

bool any_non_zero(const std::uint8_t* have, std::size_t n) {
  std::uint8_t bits = 0;
  for (std::size_t k = 0; k < n; ++k) bits |= have[k];
  return bits != 0;
}

}  // namespace

std::optional<std::uint64_t> PageMemory::first_known_difference(std::uint64_t offset,
                                                                std::span<const std::uint8_t> have) const {
  std::size_t done = 0;
  while (done < have.size()) {
    const std::uint64_t i = offset % kChunkBytes;
    const std::size_t n = std::min<std::uint64_t>(have.size() - done, kChunkBytes - i);
    const Chunk* chunk = find_chunk(offset / kChunkBytes);
    const std::uint8_t* got = have.data() + done;
    const bool differs = chunk == nullptr ? any_non_zero(got, n)  // an absent chunk is known zero
                                          : any_known_difference(chunk->bytes.data() + i, chunk->unknown.data() + i, got, n);
    if (differs) {
      for (std::size_t k = 0;; ++k) {  // there is one: find it
        const std::optional<std::uint8_t> want = read(offset + k);
        if (want && *want != got[k]) return done + k;
      }
    }
    offset += n;
    done += n;
  }
  return std::nullopt;
}

PageMemory::Chunk& PageMemory::chunk_for(std::uint64_t offset) {
  const std::uint64_t key = offset / kChunkBytes;
  if (cached_ != nullptr && cached_key_ == key) return const_cast<Chunk&>(*cached_);  // chunks_ is ours to change
  Chunk& chunk = chunks_[key];  // a new chunk is all known zero
  cached_key_ = key;
  cached_ = &chunk;
  return chunk;
}

void PageMemory::write(std::uint64_t offset, std::uint8_t value) {
  Chunk& chunk = chunk_for(offset);
  chunk.bytes[offset % kChunkBytes] = value;
  chunk.unknown[offset % kChunkBytes] = false;
}

void PageMemory::write(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::uint64_t i = offset % kChunkBytes;
    const std::size_t n = std::min<std::uint64_t>(bytes.size() - done, kChunkBytes - i);
    Chunk& chunk = chunk_for(offset);
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(done), n, chunk.bytes.begin() + static_cast<std::ptrdiff_t>(i));
    std::fill_n(chunk.unknown.begin() + static_cast<std::ptrdiff_t>(i), n, false);
    offset += n;
    done += n;
  }
}

void PageMemory::forget(std::uint64_t offset, std::uint64_t length) {
  while (length != 0) {
    const std::uint64_t i = offset % kChunkBytes;
    const std::uint64_t n = std::min(length, kChunkBytes - i);
    Chunk& chunk = chunk_for(offset);
    std::fill_n(chunk.bytes.begin() + static_cast<std::ptrdiff_t>(i), n, std::uint8_t{0});
    std::fill_n(chunk.unknown.begin() + static_cast<std::ptrdiff_t>(i), n, true);
    offset += n;
    length -= n;
  }
}

void PageMemory::zero(std::uint64_t offset, std::uint64_t length) {
  while (length != 0) {
    const std::uint64_t i = offset % kChunkBytes;
    const std::uint64_t n = std::min(length, kChunkBytes - i);
    if (n == kChunkBytes) {
      chunks_.erase(offset / kChunkBytes);  // an absent chunk reads as known zero
      drop_cache();
    } else if (Chunk* chunk = const_cast<Chunk*>(find_chunk(offset / kChunkBytes))) {
      std::fill_n(chunk->bytes.begin() + static_cast<std::ptrdiff_t>(i), n, std::uint8_t{0});
      std::fill_n(chunk->unknown.begin() + static_cast<std::ptrdiff_t>(i), n, false);
    }  // else: absent, so known zero already
    offset += n;
    length -= n;
  }
}

void PageMemory::write_quad(std::uint64_t offset, std::uint64_t value) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  write(offset, bytes);
}

}  // namespace mf::model
