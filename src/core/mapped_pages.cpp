// MappedPages: anonymous mappings, aligned for huge pages when asked.
#include "core/mapped_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace hop {

namespace {

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

char* MapOrAbort(size_t bytes) {
  void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    std::fputs("hop: out of memory (mmap failed)\n", stderr);
    std::abort();
  }
  return static_cast<char*>(memory);
}

// A huge page needs an aligned virtual range: map one huge page more than asked, then give back
// the unaligned head and the tail.
char* MapHugePageAligned(size_t bytes) {
  char* mapped = MapOrAbort(bytes + MappedPages::kHugePageBytes);
  const uintptr_t start = reinterpret_cast<uintptr_t>(mapped);
  char* aligned = reinterpret_cast<char*>(RoundUp(start, MappedPages::kHugePageBytes));
  const size_t head = static_cast<size_t>(aligned - mapped);
  if (head > 0) ::munmap(mapped, head);
  const size_t tail = MappedPages::kHugePageBytes - head;
  if (tail > 0) ::munmap(aligned + bytes, tail);
  // Advice, not a demand: without huge pages (a kernel set to "never") the memory works the same.
  ::madvise(aligned, bytes, MADV_HUGEPAGE);
  return aligned;
}

}  // namespace

MappedPages::MappedPages(size_t bytes, Pages pages) {
  if (pages == Pages::kHugeWhenLarge && bytes >= kHugePageBytes) {
    size_ = RoundUp(bytes, kHugePageBytes);
    data_ = MapHugePageAligned(size_);
  } else {
    size_ = RoundUp(bytes, static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
    data_ = MapOrAbort(size_);
  }
}

void MappedPages::Shrink(size_t bytes) {
  const size_t keep = RoundUp(bytes, static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
  if (keep >= size_) return;
  ::munmap(data_ + keep, size_ - keep);
  size_ = keep;
  if (size_ == 0) data_ = nullptr;
}

MappedPages::~MappedPages() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

MappedPages::MappedPages(MappedPages&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedPages& MappedPages::operator=(MappedPages&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace hop
