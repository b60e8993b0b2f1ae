// LinkArena: where cached links live (on MappedPages, core_mapped_pages_test.cpp).
#include "service/link_arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>

namespace hop {
namespace {

bool IsAligned(const void* p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

TEST(LinkArena, BlocksAreAlignedAndDoNotOverlap) {
  LinkArena arena;
  std::map<uintptr_t, size_t> blocks;  // start -> bytes
  for (size_t bytes = 1; bytes <= 2'000; ++bytes) {
    auto* block = static_cast<char*>(arena.Allocate(bytes));
    ASSERT_TRUE(IsAligned(block, 8));
    std::memset(block, 0xab, bytes);
    blocks.emplace(reinterpret_cast<uintptr_t>(block), bytes);
  }
  ASSERT_EQ(blocks.size(), 2'000u);
  for (auto it = blocks.begin(), next = std::next(it); next != blocks.end(); ++it, ++next) {
    EXPECT_LE(it->first + it->second, next->first);
  }
}

TEST(LinkArena, FreedBlockServesTheNextOfItsSize) {
  LinkArena arena;
  void* first = arena.Allocate(60);
  arena.Allocate(60);
  arena.Free(first, 60);
  EXPECT_EQ(arena.free_bytes(), 64u);
  EXPECT_NE(arena.Allocate(100), first);  // another size does not take it
  EXPECT_EQ(arena.Allocate(57), first);   // the same 8-byte step does
  EXPECT_EQ(arena.free_bytes(), 0u);
}

TEST(LinkArena, CountsBytesInUseAndFreed) {
  LinkArena arena;
  void* a = arena.Allocate(17);  // 24
  void* b = arena.Allocate(8);   // 8
  EXPECT_EQ(arena.used_bytes(), 32u);
  arena.Free(a, 17);
  EXPECT_EQ(arena.used_bytes(), 8u);
  EXPECT_EQ(arena.free_bytes(), 24u);
  arena.Free(b, 8);
  EXPECT_EQ(arena.used_bytes(), 0u);
  EXPECT_EQ(arena.free_bytes(), 32u);
}

// A few links cost a few pages; a large cache takes whole huge pages.
TEST(LinkArena, ChunksGrowFromPagesToHugePages) {
  LinkArena arena;
  arena.Allocate(64);
  EXPECT_LT(arena.mapped_bytes(), size_t{128} << 10);
  for (int i = 0; i < 200'000; ++i) arena.Allocate(64);
  EXPECT_GE(arena.mapped_bytes(), 200'001u * 64);
  EXPECT_LT(arena.mapped_bytes(), 200'001u * 64 + 2 * MappedPages::kHugePageBytes);
}

TEST(LinkArena, LargestLinkFits) {
  LinkArena arena;
  auto* block = static_cast<char*>(arena.Allocate(LinkArena::kMaxBlockBytes));
  std::memset(block, 1, LinkArena::kMaxBlockBytes);
  EXPECT_EQ(arena.used_bytes(), LinkArena::kMaxBlockBytes);
}

#if defined(__SANITIZE_ADDRESS__)
#define HOP_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOP_TEST_UNDER_ASAN 1
#endif
#endif

#ifdef HOP_TEST_UNDER_ASAN
// The arena hides links from malloc, so it must tell AddressSanitizer itself what is not in use.
TEST(LinkArenaDeathTest, ReadingAFreedBlockIsReportedUnderAddressSanitizer) {
  EXPECT_DEATH(
      {
        LinkArena arena;
        auto* block = static_cast<volatile char*>(arena.Allocate(32));
        arena.Free(const_cast<char*>(block), 32);
        static_cast<void>(block[8]);
      },
      "use-after-poison");
}

TEST(LinkArenaDeathTest, ReadingPastTheLastBlockIsReportedUnderAddressSanitizer) {
  EXPECT_DEATH(
      {
        LinkArena arena;
        auto* block = static_cast<volatile char*>(arena.Allocate(32));
        static_cast<void>(block[32]);
      },
      "use-after-poison");
}
#endif

}  // namespace
}  // namespace hop
