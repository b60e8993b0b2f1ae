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
// Thread-safety: none needed; a region belongs to its owner.
#pragma once

#include <cstddef>

namespace hop {

class MappedPages {
 public:
  static constexpr size_t kHugePageBytes = size_t{2} << 20;

  MappedPages() = default;
  // REQUIRES: bytes > 0. At least `bytes` (rounded up to whole pages, or to whole huge pages when
  // `bytes` is 2 MiB or more), zeroed, aligned to a huge page when that large. Aborts when the
  // kernel has no memory to give, as operator new would.
  explicit MappedPages(size_t bytes);
  ~MappedPages();
  MappedPages(MappedPages&& other) noexcept;
  MappedPages& operator=(MappedPages&& other) noexcept;
  MappedPages(const MappedPages&) = delete;
  MappedPages& operator=(const MappedPages&) = delete;

  char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace hop
