// LinkCache: what a worker remembers, and how it forgets.
#include "service/link_cache.h"

#include <gtest/gtest.h>

namespace hop {
namespace {

CachedLink LinkWithId(int64_t id) {
  CachedLink link;
  link.id = id;
  link.url = "https://example.com/";
  return link;
}

TEST(LinkCache, ClearForgetsFoundAndMissingLinks) {
  LinkCache cache(10, 10);
  cache.Put("found", LinkWithId(1));
  cache.PutMissing("missing", /*forget_at_ms=*/1000);
  cache.Clear();
  EXPECT_EQ(cache.Find("found"), nullptr);
  EXPECT_FALSE(cache.IsKnownMissing("missing", 0));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(LinkCache, SharedSizeFollowsEveryChangeOfTheFoundLinks) {
  LinkCache cache(2, 10);
  cache.Put("a", LinkWithId(1));
  cache.Put("b", LinkWithId(2));
  EXPECT_EQ(cache.shared_size(), 2u);
  cache.Put("c", LinkWithId(3));  // evicts one: the capacity is 2
  EXPECT_EQ(cache.shared_size(), 2u);
  cache.PutMissing("d", 1000);
  EXPECT_EQ(cache.shared_size(), 2u);
  cache.Erase("c");
  EXPECT_EQ(cache.shared_size(), cache.size());
  cache.Clear();
  EXPECT_EQ(cache.shared_size(), 0u);
}

}  // namespace
}  // namespace hop
