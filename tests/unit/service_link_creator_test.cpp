// LinkCreator on a real SQLite store: batches, collisions, stopping. The store's write lock is held
// from another connection, as another process would, to make creates queue behind a slow write.
#include "service/link_creator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "service_test_support.h"
#include "store/sqlite/sqlite_store.h"

namespace hop {
namespace {

using namespace std::chrono_literals;

LinkToCreate Generated(std::string url) {
  return {.alias = std::nullopt, .fields = UrlFields(url)};
}
LinkToCreate Aliased(std::string alias, std::string url) {
  return {.alias = std::move(alias), .fields = UrlFields(url)};
}

size_t StoredLinks(Store& store) {
  LinkQuery query;
  query.limit = 1000;
  return Must(store.ListLinks(query)).links.size();
}

// The results of one submission, once it completed.
class Completion {
 public:
  LinkCreator::Done Done() {
    return [this](std::vector<Result<Link>> links) { promise_.set_value(std::move(links)); };
  }
  std::vector<Result<Link>> Wait() { return future_.get(); }
  bool CompletedWithin(std::chrono::milliseconds timeout) {
    return future_.wait_for(timeout) == std::future_status::ready;
  }

 private:
  std::promise<std::vector<Result<Link>>> promise_;
  std::future<std::vector<Result<Link>>> future_ = promise_.get_future();
};

class LinkCreatorTest : public ::testing::Test {
 protected:
  LinkCreatorTest() {
    char dir_template[] = "/tmp/hop-creator-XXXXXX";
    dir_ = ::mkdtemp(dir_template);
    // A busy timeout long enough to outwait the tests' write locks.
    store_ = Must(OpenSqliteStore(path(), {.busy_timeout = 10s}));
    if (Status s = store_->Migrate(); !s.ok()) throw std::runtime_error(s.detail());
  }
  ~LinkCreatorTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string path() const { return dir_ + "/hop.db"; }

  // Submits `links` and waits for their results.
  std::vector<Result<Link>> Create(LinkCreator& creator, std::vector<LinkToCreate> links) {
    Completion completion;
    creator.Submit(std::move(links), completion.Done());
    return completion.Wait();
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  ManualClock clock_{kNow};
  LinkEvents events_;
};

TEST_F(LinkCreatorTest, CreatesFromManyThreadsAllGetDistinctLinksThatAreAllStored) {
  LinkCreator creator(*store_, clock_, events_);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::vector<Link>> made(kThreads);
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string url =
            "https://example.com/" + std::to_string(t) + "/" + std::to_string(i);
        std::vector<Result<Link>> links = Create(creator, {Generated(url)});
        if (!links[0].ok() || links[0].value().fields.url != url) {
          ++failures;
          continue;
        }
        made[t].push_back(links[0].value());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  std::set<std::string> codes;
  std::set<int64_t> ids;
  for (const std::vector<Link>& links : made) {
    for (const Link& link : links) {
      codes.insert(link.code);
      ids.insert(link.id);
      Link stored = Must(store_->FindLink(link.code));
      EXPECT_EQ(stored.id, link.id);
      EXPECT_EQ(stored.fields.url, link.fields.url);
    }
  }
  EXPECT_EQ(codes.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(ids.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(creator.links_created(), uint64_t{kThreads * kPerThread});
}

TEST_F(LinkCreatorTest, CreatesQueuedBehindASlowWriteShareTheNextCommit) {
  LinkCreator creator(*store_, clock_, events_);
  WriteLock lock(path());
  ASSERT_TRUE(lock.locked());
  // The first create takes the committer into the store, where it waits for the lock...
  Completion first;
  creator.Submit({Generated("https://example.com/first")}, first.Done());
  while (creator.batches() == 0) std::this_thread::sleep_for(1ms);
  // ... while a hundred more arrive from ten threads.
  std::vector<Completion> later(100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        creator.Submit({Generated("https://example.com/" + std::to_string(t * 10 + i))},
                       later[static_cast<size_t>(t * 10 + i)].Done());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_FALSE(first.CompletedWithin(0ms)) << "answered before its commit";
  lock.Release();
  EXPECT_TRUE(IsOk(first.Wait()[0]));
  for (Completion& completion : later) EXPECT_TRUE(IsOk(completion.Wait()[0]));
  EXPECT_EQ(creator.links_created(), 101u);
  // The first alone, then the hundred together.
  EXPECT_EQ(creator.batches(), 2u);
  EXPECT_EQ(StoredLinks(*store_), 101u);
}

TEST_F(LinkCreatorTest, ASubmissionIsWrittenInOneBatchAndAnsweredInItsOrder) {
  LinkCreator creator(*store_, clock_, events_);
  Must(store_->CreateLink("taken", UrlFields("https://example.com/old"), kNow));
  std::vector<Result<Link>> links = Create(
      creator, {Generated("https://example.com/a"), Aliased("taken", "https://example.com/b"),
                Aliased("mine", "https://example.com/c"), Generated("https://example.com/d")});
  ASSERT_EQ(links.size(), 4u);
  EXPECT_EQ(Must(std::move(links[0])).fields.url, "https://example.com/a");
  EXPECT_TRUE(FailsWith(links[1], ErrorCode::kAliasTaken));
  EXPECT_EQ(Must(std::move(links[2])).code, "mine");
  EXPECT_EQ(Must(std::move(links[3])).fields.url, "https://example.com/d");
  EXPECT_EQ(creator.batches(), 1u);
  EXPECT_EQ(Must(store_->FindLink("taken")).fields.url, "https://example.com/old");
}

TEST_F(LinkCreatorTest, AGeneratedCodeThatIsTakenIsRetriedWithAFreshOne) {
  CountingStore colliding(*store_);
  colliding.set_generated_codes_taken(1);
  LinkCreator creator(colliding, clock_, events_);
  std::vector<Result<Link>> links =
      Create(creator, {Generated("https://example.com/new"), Aliased("mine", "https://e.com/")});
  Link link = Must(std::move(links[0]));
  EXPECT_EQ(link.fields.url, "https://example.com/new");
  EXPECT_EQ(Must(store_->FindLink(link.code)).fields.url, "https://example.com/new");
  EXPECT_EQ(Must(std::move(links[1])).code, "mine");
  EXPECT_EQ(creator.batches(), 2u);
  EXPECT_EQ(StoredLinks(*store_), 2u);
}

TEST_F(LinkCreatorTest, GeneratedCodesThatKeepCollidingFailAfterTheLastAttempt) {
  CountingStore colliding(*store_);
  colliding.set_generated_codes_taken(kMaxCodeAttempts);
  LinkCreator creator(colliding, clock_, events_);
  EXPECT_TRUE(
      FailsWith(Create(creator, {Generated("https://example.com/new")})[0], ErrorCode::kInternal));
  EXPECT_EQ(creator.batches(), uint64_t{kMaxCodeAttempts});
  EXPECT_EQ(creator.links_created(), 0u);
  EXPECT_EQ(StoredLinks(*store_), 0u);
}

TEST_F(LinkCreatorTest, EveryCreatedCodeIsPublishedBeforeItsSubmissionCompletes) {
  std::vector<std::string> published;  // written and read on the committer thread only
  events_.Subscribe({.changed =
                         [&](std::span<const std::string> codes) {
                           published.insert(published.end(), codes.begin(), codes.end());
                         },
                     .all_changed = [] {}});
  LinkCreator creator(*store_, clock_, events_);
  Must(store_->CreateLink("taken", UrlFields("https://example.com/old"), kNow));
  std::vector<std::string> seen_at_completion;
  std::promise<void> done;
  creator.Submit(
      {Aliased("new-one", "https://example.com/1"), Aliased("taken", "https://example.com/2")},
      [&](std::vector<Result<Link>>) {
        seen_at_completion = published;
        done.set_value();
      });
  done.get_future().wait();
  EXPECT_EQ(seen_at_completion, std::vector<std::string>{"new-one"});
}

TEST_F(LinkCreatorTest, AStoreFailureFailsEveryLinkOfTheBatch) {
  std::unique_ptr<Store> impatient = Must(OpenSqliteStore(path(), {.busy_timeout = 50ms}));
  LinkCreator creator(*impatient, clock_, events_);
  WriteLock lock(path());
  ASSERT_TRUE(lock.locked());
  std::vector<Result<Link>> links =
      Create(creator, {Generated("https://example.com/1"), Aliased("x-y-z", "https://e.com/")});
  EXPECT_TRUE(FailsWith(links[0], ErrorCode::kStoreUnavailable));
  EXPECT_TRUE(FailsWith(links[1], ErrorCode::kStoreUnavailable));
  lock.Release();
  EXPECT_TRUE(FailsWith(store_->FindLink("x-y-z"), ErrorCode::kNotFound));
}

TEST_F(LinkCreatorTest, StopWritesAndAnswersEverythingQueuedThenRefusesNewCreates) {
  LinkCreator creator(*store_, clock_, events_);
  WriteLock lock(path());
  ASSERT_TRUE(lock.locked());
  std::vector<Completion> queued(20);
  for (size_t i = 0; i < queued.size(); ++i)
    creator.Submit({Generated("https://example.com/" + std::to_string(i))}, queued[i].Done());
  std::thread stopper([&] { creator.Stop(); });
  std::this_thread::sleep_for(50ms);
  lock.Release();
  stopper.join();
  for (Completion& completion : queued) {
    ASSERT_TRUE(completion.CompletedWithin(0ms)) << "Stop returned before answering";
    EXPECT_TRUE(IsOk(completion.Wait()[0]));
  }
  EXPECT_EQ(StoredLinks(*store_), 20u);
  // After Stop, a create is refused at once, on the caller's thread.
  std::vector<Result<Link>> refused = Create(creator, {Generated("https://example.com/late")});
  EXPECT_TRUE(FailsWith(refused[0], ErrorCode::kStoreUnavailable));
}

TEST_F(LinkCreatorTest, DrainReturnsOnceEverythingSubmittedIsAnswered) {
  LinkCreator creator(*store_, clock_, events_);
  WriteLock lock(path());
  ASSERT_TRUE(lock.locked());
  Completion queued;
  creator.Submit({Generated("https://example.com/")}, queued.Done());
  std::atomic<bool> drained = false;
  std::thread drainer([&] {
    creator.Drain();
    drained = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(drained);
  lock.Release();
  drainer.join();
  EXPECT_TRUE(queued.CompletedWithin(0ms));
}

TEST_F(LinkCreatorTest, NothingToCreateCompletesAtOnceWithoutAWrite) {
  LinkCreator creator(*store_, clock_, events_);
  EXPECT_TRUE(Create(creator, {}).empty());
  EXPECT_EQ(creator.batches(), 0u);
}

}  // namespace
}  // namespace hop
