// MappedPages: zeroed memory straight from the kernel, which may back it with 2 MiB pages.
//
// A worker's LinkCache is read at random: a million cached links are about 80 MB, and with 4 KiB
// pages nearly every redirect misses the TLB twice (its table slot, its link). Under a hypervisor a
// miss walks two page tables, and the kernel's network stack, which runs between two redirects,
// evicts the walk's entries from the CPU caches; the lookup was a tenth of a redirect's CPU time.
// With 2 MiB pages the whole cache fits in the TLB. Debian's default (transparent_hugepage=madvise)
// grants them only to memory that asks with madvise(MADV_HUGEPAGE), which malloc does not do, hence
// this class. Regions under 2 MiB are mapped plainly: a huge page would be mostly idle memory.
//
// The SQLite store's click overlay (store/click_overlay.h) maps its buffers here too, with small
// pages, for the other half of the promise: a region is given back to the kernel the moment it is
// destroyed. A large vector freed to malloc may stay in the process (glibc raises its mmap
// threshold after such a free, so the next ones come from the heap, which shrinks only from its
// top).
//
// Thread-safety: none needed; a region belongs to its owner.
#pragma once

#include <cstddef>

namespace hop {

class MappedPages {
 public:
  static constexpr size_t kHugePageBytes = size_t{2} << 20;

  // kHugeWhenLarge for memory read at random, where a TLB miss costs more than the rounding up to
  // a huge page; kSmall for memory read in order, or kept only briefly.
  enum class Pages { kHugeWhenLarge, kSmall };

  MappedPages() = default;
  // REQUIRES: bytes > 0. At least `bytes` (rounded up to whole pages, or with kHugeWhenLarge to
  // whole huge pages when `bytes` is 2 MiB or more), zeroed, aligned to a huge page when that
  // large. Aborts when the kernel has no memory to give, as operator new would.
  explicit MappedPages(size_t bytes, Pages pages = Pages::kHugeWhenLarge);
  ~MappedPages();
  MappedPages(MappedPages&& other) noexcept;
  MappedPages& operator=(MappedPages&& other) noexcept;
  MappedPages(const MappedPages&) = delete;
  MappedPages& operator=(const MappedPages&) = delete;

  char* data() const { return data_; }
  size_t size() const { return size_; }

  // Gives back to the kernel the pages past the first `bytes` (rounded up to a page), keeping
  // what the region holds up to there: for a buffer mapped for the most it could need. REQUIRES:
  // bytes <= size().
  void Shrink(size_t bytes);

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace hop
