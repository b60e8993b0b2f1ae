// LinkService and StatsService on behalf of different keys, and the block list swapped while
// serving.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "service/link_service.h"
#include "service/stats_service.h"
#include "service_test_support.h"

namespace hop {
namespace {

CreateLinkRequest Create(std::string url, std::string alias) {
  CreateLinkRequest request;
  request.fields.url = std::move(url);
  request.alias = std::move(alias);
  return request;
}

class LinkOwnershipTest : public ::testing::Test {
 protected:
  LinkOwnershipTest() {
    events_.Subscribe({.changed =
                           [this](std::span<const std::string> codes) {
                             published_.insert(published_.end(), codes.begin(), codes.end());
                           },
                       .all_changed = [] {}});
  }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  LinkEvents events_;
  std::vector<std::string> published_;
  LinkService links_{*store_, clock_, TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {}},
                     events_};
  StatsService stats_{*store_, clock_};
  Principal admin_ = TestPrincipal(*store_, "admin", Role::kAdmin);
  Principal alice_ = TestPrincipal(*store_, "alice", Role::kUser);
  Principal bob_ = TestPrincipal(*store_, "bob", Role::kUser);
};

TEST_F(LinkOwnershipTest, ALinkBelongsToTheKeyThatCreatedIt) {
  Link link = Must(CreateAndWait(links_, Create("https://example.com/", "mine"), alice_));
  EXPECT_EQ(link.fields.owner_key_id, alice_.key_id);
  EXPECT_TRUE(IsOk(links_.Get("mine", alice_)));
  EXPECT_TRUE(IsOk(links_.Get("mine", admin_)));
  EXPECT_TRUE(FailsWith(links_.Get("mine", bob_), ErrorCode::kNotFound));
}

TEST_F(LinkOwnershipTest, AnotherKeyCanNeitherChangeNorDeleteNorReadStats) {
  Must(CreateAndWait(links_, Create("https://example.com/", "mine"), alice_));
  LinkPatch patch;
  patch.title = std::optional<std::string>("stolen");
  EXPECT_TRUE(FailsWith(links_.Update("mine", patch, bob_), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(links_.Delete("mine", bob_), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(stats_.Stats("mine", bob_), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(stats_.ReadSeries("mine", SeriesRequest{}, bob_), ErrorCode::kNotFound));
  EXPECT_FALSE(Must(links_.Get("mine", alice_)).fields.title.has_value());
  EXPECT_TRUE(IsOk(links_.Update("mine", patch, admin_)));
  EXPECT_TRUE(IsOk(stats_.Stats("mine", alice_)));
  EXPECT_TRUE(IsOk(links_.Delete("mine", alice_)));
}

TEST_F(LinkOwnershipTest, AnonymousLinksHaveNoOwnerAndAnonymousCallersReadNothing) {
  Link link =
      Must(CreateAndWait(links_, Create("https://example.com/", "anon"), Principal::Anonymous()));
  EXPECT_FALSE(link.fields.owner_key_id.has_value());
  EXPECT_TRUE(FailsWith(links_.Get("anon", Principal::Anonymous()), ErrorCode::kUnauthorized));
  EXPECT_TRUE(FailsWith(links_.Get("anon", alice_), ErrorCode::kNotFound));
  EXPECT_TRUE(IsOk(links_.Get("anon", admin_)));
}

TEST_F(LinkOwnershipTest, ReplacingTheBlockListDisablesExistingLinksAndForgetsThemEverywhere) {
  Must(CreateAndWait(links_, Create("https://www.evil.example/x", "bad"), alice_));
  Must(CreateAndWait(links_, Create("https://good.example/", "good"), alice_));
  published_.clear();
  EXPECT_EQ(Must(links_.SetBlockedHosts({"evil.example"})), 1u);
  EXPECT_TRUE(Must(links_.Get("bad", alice_)).disabled);
  EXPECT_FALSE(Must(links_.Get("good", alice_)).disabled);
  EXPECT_EQ(published_, std::vector<std::string>{"bad"});
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Create("https://evil.example/", "again"), alice_),
                        ErrorCode::kBlockedUrl));
  LinkPatch to_evil;
  to_evil.url = "https://mail.evil.example/";
  EXPECT_TRUE(FailsWith(links_.Update("good", to_evil, alice_), ErrorCode::kBlockedUrl));
}

TEST_F(LinkOwnershipTest, ACreateStillQueuedWhenTheBlockListChangesIsDisabledWithTheRest) {
  WriteLock lock(store_.path());
  ASSERT_TRUE(lock.locked());
  // The committer waits for the lock with a first create, while a second, checked against the old
  // list, waits in the queue.
  auto create = [&](std::string url, std::string alias) {
    return std::async(std::launch::async, [&, url, alias] {
      return CreateAndWait(links_, Create(url, alias), alice_);
    });
  };
  std::future<Result<Link>> first = create("https://good.example/", "first");
  while (links_.creator().batches() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::future<Result<Link>> queued = create("https://evil.example/x", "queued");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::future<Result<size_t>> blocked =
      std::async(std::launch::async, [&] { return links_.SetBlockedHosts({"evil.example"}); });
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  lock.Release();
  EXPECT_TRUE(IsOk(first.get()));
  EXPECT_TRUE(IsOk(queued.get()));
  // The list took effect once the queued create was written, so its link was disabled with the
  // others rather than slipping past.
  EXPECT_EQ(Must(blocked.get()), 1u);
  EXPECT_TRUE(Must(links_.Get("queued", alice_)).disabled);
}

TEST_F(LinkOwnershipTest, ALinkDisabledByTheBlockListCannotBeEnabledWhileItsHostIsBlocked) {
  Must(CreateAndWait(links_, Create("https://evil.example/", "bad"), alice_));
  Must(links_.SetBlockedHosts({"evil.example"}));
  LinkPatch enable;
  enable.disabled = false;
  EXPECT_TRUE(FailsWith(links_.Update("bad", enable, alice_), ErrorCode::kBlockedUrl));
  // Pointing it elsewhere in the same patch is fine, and so is enabling it once unblocked.
  LinkPatch move_and_enable = enable;
  move_and_enable.url = "https://good.example/";
  EXPECT_FALSE(Must(links_.Update("bad", move_and_enable, alice_)).disabled);
}

TEST_F(LinkOwnershipTest, UnblockingLeavesDisabledLinksForTheirOwnersToEnable) {
  Must(CreateAndWait(links_, Create("https://evil.example/", "bad"), alice_));
  Must(links_.SetBlockedHosts({"evil.example"}));
  Must(links_.SetBlockedHosts({}));
  EXPECT_TRUE(Must(links_.Get("bad", alice_)).disabled);
  LinkPatch enable;
  enable.disabled = false;
  EXPECT_FALSE(Must(links_.Update("bad", enable, alice_)).disabled);
}

}  // namespace
}  // namespace hop
