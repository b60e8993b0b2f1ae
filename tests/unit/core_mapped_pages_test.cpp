// MappedPages: memory straight from the kernel, on huge pages when large and asked for, and given
// back when destroyed or shrunk.
#include "core/mapped_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>
#include <vector>

namespace hop {
namespace {

bool IsAligned(const void* p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

// Whether the kernel has the page at `address` mapped in this process.
bool IsMapped(const char* address) {
  unsigned char resident = 0;
  void* page = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(address) /
                                       sysconf(_SC_PAGESIZE) * sysconf(_SC_PAGESIZE));
  return mincore(page, 1, &resident) == 0 || errno != ENOMEM;
}

TEST(MappedPages, SmallRegionIsWholePagesOfZeros) {
  MappedPages pages(100);
  ASSERT_NE(pages.data(), nullptr);
  EXPECT_GE(pages.size(), 100u);
  EXPECT_EQ(pages.size() % 4096, 0u);
  for (size_t i = 0; i < pages.size(); ++i) ASSERT_EQ(pages.data()[i], 0) << i;
}

TEST(MappedPages, LargeRegionIsAlignedToAHugePage) {
  MappedPages pages(MappedPages::kHugePageBytes + 1);
  EXPECT_TRUE(IsAligned(pages.data(), MappedPages::kHugePageBytes));
  EXPECT_EQ(pages.size(), 2 * MappedPages::kHugePageBytes);
  pages.data()[pages.size() - 1] = 1;  // the whole size is usable
}

TEST(MappedPages, MovedRegionHasOneOwner) {
  MappedPages from(10);
  char* data = from.data();
  MappedPages to = std::move(from);
  EXPECT_EQ(to.data(), data);
  EXPECT_EQ(from.data(),
            nullptr);  // NOLINT(bugprone-use-after-move): what a move leaves is the contract
  EXPECT_EQ(from.size(), 0u);
}

TEST(MappedPages, SmallPagesAskedForAreNotRoundedToAHugePage) {
  MappedPages pages(MappedPages::kHugePageBytes + 1, MappedPages::Pages::kSmall);
  EXPECT_EQ(pages.size(), MappedPages::kHugePageBytes + 4096);
  pages.data()[pages.size() - 1] = 1;
}

TEST(MappedPages, ShrinkKeepsTheStartAndGivesTheRestBack) {
  MappedPages pages(10 * 4096, MappedPages::Pages::kSmall);
  char* data = pages.data();
  data[0] = 7;
  pages.Shrink(4096 + 1);
  EXPECT_EQ(pages.data(), data);
  EXPECT_EQ(pages.size(), 2u * 4096);
  EXPECT_EQ(data[0], 7);
  EXPECT_TRUE(IsMapped(data + 4096));
  EXPECT_FALSE(IsMapped(data + 2 * 4096));
  pages.Shrink(pages.size());  // nothing past the end: nothing changes
  EXPECT_EQ(pages.size(), 2u * 4096);
  pages.Shrink(0);
  EXPECT_EQ(pages.data(), nullptr);
  EXPECT_FALSE(IsMapped(data));
}

}  // namespace
}  // namespace hop
