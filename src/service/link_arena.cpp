#include "service/link_arena.h"

#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace hop {

namespace {

// Chunks start small, so that a cache of a few links costs a few pages, and double up to a huge
// page, from which point every chunk is one.
constexpr size_t kFirstChunkBytes = 64 * 1024;

}  // namespace

LinkArena::~LinkArena() { UnpoisonChunks(); }

LinkArena::LinkArena(LinkArena&& other) noexcept
    : chunks_(std::move(other.chunks_)),
      next_(std::exchange(other.next_, nullptr)),
      end_(std::exchange(other.end_, nullptr)),
      free_(std::move(other.free_)),
      used_bytes_(std::exchange(other.used_bytes_, 0)),
      free_bytes_(std::exchange(other.free_bytes_, 0)),
      mapped_bytes_(std::exchange(other.mapped_bytes_, 0)) {
  other.chunks_.clear();
  other.free_.clear();
}

LinkArena& LinkArena::operator=(LinkArena&& other) noexcept {
  if (this == &other) return *this;
  UnpoisonChunks();
  chunks_ = std::move(other.chunks_);
  other.chunks_.clear();
  next_ = std::exchange(other.next_, nullptr);
  end_ = std::exchange(other.end_, nullptr);
  free_ = std::move(other.free_);
  other.free_.clear();
  used_bytes_ = std::exchange(other.used_bytes_, 0);
  free_bytes_ = std::exchange(other.free_bytes_, 0);
  mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
  return *this;
}

void LinkArena::UnpoisonChunks() {
  for (const MappedPages& chunk : chunks_) ASAN_UNPOISON_MEMORY_REGION(chunk.data(), chunk.size());
}

void* LinkArena::Allocate(size_t bytes) {
  if (bytes == 0 || bytes > kMaxBlockBytes) {
    std::fputs("hop: LinkArena asked for a block it cannot give\n", stderr);
    std::abort();
  }
  const size_t size_class = ClassOf(bytes);
  if (size_class < free_.size() && free_[size_class] != nullptr) {
    FreeBlock* block = free_[size_class];
    ASAN_UNPOISON_MEMORY_REGION(block, size_class * 8);
    free_[size_class] = block->next;
    free_bytes_ -= size_class * 8;
    used_bytes_ += size_class * 8;
    return block;
  }
  return Carve(size_class * 8);
}

void* LinkArena::Carve(size_t bytes) {
  if (static_cast<size_t>(end_ - next_) < bytes) AddChunk();
  void* block = next_;
  next_ += bytes;
  used_bytes_ += bytes;
  ASAN_UNPOISON_MEMORY_REGION(block, bytes);
  return block;
}

// The rest of the previous chunk, less than one block, is left unused.
void LinkArena::AddChunk() {
  const size_t bytes = std::clamp(mapped_bytes_, kFirstChunkBytes, MappedPages::kHugePageBytes);
  MappedPages& chunk = chunks_.emplace_back(bytes);
  mapped_bytes_ += chunk.size();
  next_ = chunk.data();
  end_ = chunk.data() + chunk.size();
  ASAN_POISON_MEMORY_REGION(next_, chunk.size());
}

void LinkArena::Free(void* block, size_t bytes) {
  const size_t size_class = ClassOf(bytes);
  if (size_class >= free_.size()) free_.resize(size_class + 1, nullptr);
  auto* freed = static_cast<FreeBlock*>(block);
  freed->next = free_[size_class];
  free_[size_class] = freed;
  used_bytes_ -= size_class * 8;
  free_bytes_ += size_class * 8;
  ASAN_POISON_MEMORY_REGION(block, size_class * 8);
}

}  // namespace hop
