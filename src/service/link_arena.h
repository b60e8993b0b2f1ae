// LinkArena: the memory a LinkCache keeps its links in.
//
// Links are carved from chunks of MappedPages, so that a large cache lies on huge pages (see
// mapped_pages.h), and sized in steps of 8 bytes, not malloc's 16 plus its 8-byte header: that was
// a third of what a link cost besides its URL. A freed block waits in a list of blocks of its exact
// size and serves the next link of that size. Links are replaced far less often than they are read,
// but sizes vary, so freed blocks may wait long: free_bytes() lets the owner see that and move its
// links to a fresh arena (LinkCache does when they outweigh the links in use).
//
// Under AddressSanitizer, free blocks and unused chunk space are poisoned, so a read through a
// stale link pointer is reported as it would be with malloc.
//
// Thread-safety: none; an arena belongs to one LinkCache.
#pragma once

#include <cstddef>
#include <vector>

#include "core/mapped_pages.h"

namespace hop {

class LinkArena {
 public:
  // The largest block an arena gives; a link is at most about 8.5 KiB (an 8 KiB URL, a 64-byte
  // alias, its fields).
  static constexpr size_t kMaxBlockBytes = 16 * 1024;

  LinkArena() = default;
  ~LinkArena();
  LinkArena(LinkArena&& other) noexcept;
  LinkArena& operator=(LinkArena&& other) noexcept;
  LinkArena(const LinkArena&) = delete;
  LinkArena& operator=(const LinkArena&) = delete;

  // REQUIRES: 0 < bytes <= kMaxBlockBytes. A block of at least `bytes`, 8-byte aligned, valid until
  // Free or the arena's end.
  void* Allocate(size_t bytes);
  // REQUIRES: `block` came from Allocate(bytes) on this arena, with the same `bytes`.
  void Free(void* block, size_t bytes);

  // Bytes in blocks given out and not freed.
  size_t used_bytes() const { return used_bytes_; }
  // Bytes in freed blocks waiting for reuse.
  size_t free_bytes() const { return free_bytes_; }
  // Bytes mapped from the kernel, whether given out or not.
  size_t mapped_bytes() const { return mapped_bytes_; }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };

  static size_t ClassOf(size_t bytes) { return (bytes + 7) / 8; }
  void* Carve(size_t bytes);
  void AddChunk();
  // Before the chunks go back to the kernel: memory mapped there later must not look poisoned.
  void UnpoisonChunks();

  std::vector<MappedPages> chunks_;
  char* next_ = nullptr;  // the unused rest of the newest chunk
  char* end_ = nullptr;
  std::vector<FreeBlock*> free_;  // by ClassOf(size)
  size_t used_bytes_ = 0;
  size_t free_bytes_ = 0;
  size_t mapped_bytes_ = 0;
};

}  // namespace hop
