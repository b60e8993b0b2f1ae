// LinkCache: what a worker remembers, and how it forgets.
#include "service/link_cache.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace hop {
namespace {

Link LinkTo(int64_t id, std::string url) {
  Link link;
  link.id = id;
  link.fields.url = std::move(url);
  return link;
}

Link LinkWithId(int64_t id) { return LinkTo(id, "https://example.com/"); }

std::string CodeOf(int i) { return "code" + std::to_string(i); }

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

TEST(LinkCache, ClearedCacheTakesLinksAgain) {
  LinkCache cache(10, 10);
  for (int i = 0; i < 5; ++i) cache.Put(CodeOf(i), LinkWithId(i));
  cache.Clear();
  cache.Put("again", LinkWithId(7));
  ASSERT_NE(cache.Find("again"), nullptr);
  EXPECT_EQ(cache.Find("again")->id(), 7);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(LinkCache, FindReturnsEveryFieldPutStored) {
  LinkCache cache(10, 10);
  Link link = LinkTo(42, "https://example.com/a?b=c");
  link.fields.redirect_status = 308;
  link.fields.forward_query = true;
  link.fields.expires_at = FromUnixMillis(1'800'000'000'000);
  link.fields.max_visits = 3;
  link.disabled = true;
  cache.Put("hello", link);

  const CachedLink* cached = cache.Find("hello");
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->code(), "hello");
  EXPECT_EQ(cached->url(), "https://example.com/a?b=c");
  EXPECT_EQ(cached->id(), 42);
  EXPECT_EQ(cached->redirect_status(), 308);
  EXPECT_TRUE(cached->forward_query());
  EXPECT_TRUE(cached->disabled());
  EXPECT_TRUE(cached->limited());
  EXPECT_EQ(cached->expires_at_ms(), 1'800'000'000'000);
}

TEST(LinkCache, LinkWithoutExpiryNeverExpires) {
  LinkCache cache(10, 10);
  cache.Put("hello", LinkTo(1, "https://example.com/"));
  EXPECT_EQ(cache.Find("hello")->expires_at_ms(), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(cache.Find("hello")->limited());
}

TEST(LinkCache, UnknownCodeIsNotFound) {
  LinkCache cache(10, 10);
  EXPECT_EQ(cache.Find("hello"), nullptr);
  cache.Put("hello", LinkTo(1, "https://example.com/"));
  EXPECT_EQ(cache.Find("hell"), nullptr);
  EXPECT_EQ(cache.Find("hello2"), nullptr);
}

TEST(LinkCache, PuttingACachedCodeAgainReplacesIt) {
  LinkCache cache(10, 10);
  cache.Put("hello", LinkTo(1, "https://example.com/old"));
  cache.Put("hello", LinkTo(1, "https://example.com/new"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find("hello")->url(), "https://example.com/new");
}

TEST(LinkCache, KeepsEveryLinkAsItGrows) {
  LinkCache cache(100'000, 10);
  for (int i = 0; i < 20'000; ++i)
    cache.Put(CodeOf(i), LinkTo(i, "https://example.com/" + CodeOf(i)));
  EXPECT_EQ(cache.size(), 20'000u);
  for (int i = 0; i < 20'000; ++i) {
    const CachedLink* cached = cache.Find(CodeOf(i));
    ASSERT_NE(cached, nullptr) << CodeOf(i);
    EXPECT_EQ(cached->id(), i);
  }
}

// Erasing shifts later links of a probe sequence back; none of them may get lost on the way.
TEST(LinkCache, ErasingSomeLinksKeepsEveryOtherFindable) {
  LinkCache cache(100'000, 10);
  for (int i = 0; i < 5'000; ++i) cache.Put(CodeOf(i), LinkTo(i, "https://example.com/"));
  for (int i = 0; i < 5'000; i += 3) cache.Erase(CodeOf(i));
  for (int i = 0; i < 5'000; ++i) {
    EXPECT_EQ(cache.Find(CodeOf(i)) == nullptr, i % 3 == 0) << CodeOf(i);
  }
  EXPECT_EQ(cache.size(), 5'000u - 1'667u);
}

TEST(LinkCache, FullCacheEvictsOneLinkForEachNewOne) {
  LinkCache cache(100, 10);
  for (int i = 0; i < 150; ++i) cache.Put(CodeOf(i), LinkTo(i, "https://example.com/"));
  EXPECT_EQ(cache.size(), 100u);
  EXPECT_NE(cache.Find(CodeOf(149)), nullptr);
  int found = 0;
  for (int i = 0; i < 150; ++i) found += cache.Find(CodeOf(i)) != nullptr;
  EXPECT_EQ(found, 100);
}

TEST(LinkCache, MissingCodeIsKnownUntilItsTimeThenForgotten) {
  LinkCache cache(10, 10);
  cache.PutMissing("nope", 2'000);
  EXPECT_TRUE(cache.IsKnownMissing("nope", 1'999));
  EXPECT_FALSE(cache.IsKnownMissing("nope", 2'000));
  EXPECT_FALSE(cache.IsKnownMissing("nope", 1'000));
}

TEST(LinkCache, EraseForgetsFoundAndMissingAlike) {
  LinkCache cache(10, 10);
  cache.Put("hello", LinkTo(1, "https://example.com/"));
  cache.PutMissing("nope", 2'000);
  cache.Erase("hello");
  cache.Erase("nope");
  EXPECT_EQ(cache.Find("hello"), nullptr);
  EXPECT_FALSE(cache.IsKnownMissing("nope", 1'000));
  EXPECT_EQ(cache.size(), 0u);
}

// Links replaced again and again with URLs of ever new lengths leave freed blocks that no new link
// fits exactly; the cache must move its links rather than hold those blocks forever.
TEST(LinkCache, ReplacingLinksWithUrlsOfChangingLengthsKeepsMemoryBounded) {
  LinkCache cache(1'000, 10);
  for (int round = 0; round < 200; ++round) {
    const std::string url = "https://example.com/" + std::string(8 * round + 1, 'x');
    for (int i = 0; i < 1'000; ++i) cache.Put(CodeOf(i), LinkTo(i, url));
  }
  // The last round's links are about 1,640 bytes each: 1.6 MB in use.
  EXPECT_LT(cache.mapped_bytes(), size_t{8} << 20);
  const std::string last_url = "https://example.com/" + std::string(8 * 199 + 1, 'x');
  for (int i = 0; i < 1'000; ++i) {
    const CachedLink* cached = cache.Find(CodeOf(i));
    ASSERT_NE(cached, nullptr) << CodeOf(i);
    EXPECT_EQ(cached->id(), i);
    EXPECT_EQ(cached->code(), CodeOf(i));
    EXPECT_EQ(cached->url(), last_url);
  }
}

// Links moved to a fresh arena keep every field, the expiry that trails some of them included.
TEST(LinkCache, LinksKeepEveryFieldWhenMovedToFreshMemory) {
  LinkCache cache(100, 10);
  Link kept = LinkTo(7, "https://example.com/kept");
  kept.fields.expires_at = FromUnixMillis(1'700'000'000'123);
  kept.fields.redirect_status = 308;
  kept.fields.forward_query = true;
  cache.Put("kept", kept);
  // Churn enough freed bytes (over 1 MiB, more than the links in use) to move the links.
  for (int round = 0; round < 300; ++round) {
    cache.Put("churn", LinkTo(1, "https://example.com/" + std::string(4'000 + round * 8, 'y')));
  }
  const CachedLink* cached = cache.Find("kept");
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->id(), 7);
  EXPECT_EQ(cached->url(), "https://example.com/kept");
  EXPECT_EQ(cached->expires_at_ms(), 1'700'000'000'123);
  EXPECT_EQ(cached->redirect_status(), 308);
  EXPECT_TRUE(cached->forward_query());
  EXPECT_EQ(cache.Find("churn")->url().size(),
            std::string("https://example.com/").size() + 4'000 + 299 * 8);
}

TEST(LinkCache, ClearGivesItsMemoryBack) {
  LinkCache cache(100'000, 10);
  for (int i = 0; i < 50'000; ++i) cache.Put(CodeOf(i), LinkWithId(i));
  EXPECT_GT(cache.mapped_bytes(), size_t{2} << 20);
  cache.Clear();
  EXPECT_EQ(cache.mapped_bytes(), 0u);
}

}  // namespace
}  // namespace hop
