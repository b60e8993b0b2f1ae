// GET /metrics: the exposition format, and what each metric adds up.
#include "http/server_metrics.h"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <sstream>

#include "http/router.h"
#include "service_test_support.h"

namespace hop {
namespace {

// Sample lines by their name with labels ("hop_http_responses_total{code=\"2xx\"}"), and how many
// HELP and TYPE lines each metric has.
struct Parsed {
  std::map<std::string, std::string> samples;
  std::map<std::string, int> help_lines;
  std::map<std::string, std::string> types;
};

Parsed Parse(const std::string& text) {
  Parsed parsed;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first, name, rest;
    words >> first;
    if (first == "#") {
      std::string kind;
      words >> kind >> name >> rest;
      if (kind == "HELP") ++parsed.help_lines[name];
      if (kind == "TYPE") parsed.types[name] = rest;
    } else {
      words >> rest;
      parsed.samples[first] = rest;
    }
  }
  return parsed;
}

class ServerMetricsTest : public ::testing::Test {
 protected:
  ServerMetricsTest() {
    for (int i = 0; i < 2; ++i) metrics_.AddWorker(counters_[i], caches_[i]);
  }
  Parsed Scrape() { return Parse(metrics_.Scrape().body); }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  ClickPipeline clicks_{*store_, clock_, 2, {.max_pending = 1234}};
  LinkEvents events_;
  LinkService links_{*store_, clock_, TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {}},
                     events_};
  ServingCounters counters_[2];
  LinkCache caches_[2] = {LinkCache(10, 10), LinkCache(10, 10)};
  ServerMetrics metrics_{clicks_, links_.creator(), *store_, kNow};
};

TEST_F(ServerMetricsTest, IsPrometheusTextWithHelpAndTypeForEveryMetric) {
  Response response = metrics_.Scrape();
  EXPECT_EQ(response.status, 200);
  bool typed = false;
  for (const auto& [name, value] : response.headers) {
    if (name == "Content-Type") typed = value == "text/plain; version=0.0.4; charset=utf-8";
  }
  EXPECT_TRUE(typed);
  Parsed parsed = Scrape();
  for (const char* name :
       {"hop_redirects_total", "hop_http_responses_total", "hop_clicks_flushed_total",
        "hop_clicks_dropped_total", "hop_clicks_pending", "hop_click_buffer_entries",
        "hop_click_buffer_capacity_entries", "hop_links_created_total",
        "hop_link_create_batches_total", "hop_store_up", "hop_links_cached",
        "process_start_time_seconds"}) {
    EXPECT_EQ(parsed.help_lines[name], 1) << name;
    EXPECT_FALSE(parsed.types[name].empty()) << name;
  }
  EXPECT_EQ(parsed.types["hop_redirects_total"], "counter");
  EXPECT_EQ(parsed.types["hop_clicks_pending"], "gauge");
  EXPECT_EQ(response.body.back(), '\n');
}

TEST_F(ServerMetricsTest, SumsTheWorkersAndCountsRedirectsAs3xx) {
  counters_[0].CountRedirect();
  counters_[1].CountRedirect();
  counters_[1].CountRedirect();
  counters_[0].CountResponse(201);
  counters_[1].CountResponse(404);
  counters_[1].CountResponse(503);
  caches_[0].Put("abc", Link{});
  caches_[1].Put("abc", Link{});
  caches_[1].Put("def", Link{});
  Parsed parsed = Scrape();
  EXPECT_EQ(parsed.samples["hop_redirects_total"], "3");
  EXPECT_EQ(parsed.samples["hop_http_responses_total{code=\"2xx\"}"], "1");
  EXPECT_EQ(parsed.samples["hop_http_responses_total{code=\"3xx\"}"], "3");
  EXPECT_EQ(parsed.samples["hop_http_responses_total{code=\"4xx\"}"], "1");
  EXPECT_EQ(parsed.samples["hop_http_responses_total{code=\"5xx\"}"], "1");
  EXPECT_EQ(parsed.samples["hop_links_cached"], "3");
}

TEST_F(ServerMetricsTest, ReportsTheClickPipelineAndTheStore) {
  const int64_t id = Must(store_->CreateLink("abc", UrlFields("https://example.com/"), kNow)).id;
  for (int i = 0; i < 7; ++i)
    clicks_.recorder(1).Record({id, static_cast<int32_t>(kNowMinute), false});
  ASSERT_TRUE(IsOk(clicks_.Flush()));
  Parsed parsed = Scrape();
  EXPECT_EQ(parsed.samples["hop_clicks_flushed_total"], "7");
  EXPECT_EQ(parsed.samples["hop_clicks_dropped_total"], "0");
  EXPECT_EQ(parsed.samples["hop_clicks_pending"], "0");
  EXPECT_EQ(parsed.samples["hop_click_buffer_capacity_entries"], "1234");
  EXPECT_EQ(parsed.samples["hop_store_up"], "1");
  EXPECT_EQ(
      parsed.samples["process_start_time_seconds"],
      std::to_string(ToUnixMillis(kNow) / 1000) + "." + std::to_string(ToUnixMillis(kNow) % 1000));
}

TEST_F(ServerMetricsTest, ReportsTheLinksCreatedAndTheBatchesTheyWereWrittenIn) {
  const Principal admin = TestPrincipal(*store_, "admin");
  CreateLinkRequest one;
  one.fields.url = "https://example.com/one";
  Must(CreateAndWait(links_, one, admin));
  Must(CreateAndWait(links_, one, admin));
  // A bulk request's links are written together.
  std::vector<Result<CreateLinkRequest>> bulk(5, one);
  std::promise<void> written;
  links_.Create(std::move(bulk), admin, [&](std::vector<Result<Link>>) { written.set_value(); });
  written.get_future().wait();
  Parsed parsed = Scrape();
  EXPECT_EQ(parsed.samples["hop_links_created_total"], "7");
  EXPECT_EQ(parsed.samples["hop_link_create_batches_total"], "3");
  EXPECT_EQ(parsed.types["hop_links_created_total"], "counter");
}

class RouterMetricsTest : public ServerMetricsTest {
 protected:
  Response Send(std::string method) {
    return router_.HandleAndWait(
        Request{.method = std::move(method), .target = "/metrics", .headers = {}, .body = {}});
  }
  StatsService stats_{*store_, clock_};
  AuthService auth_{*store_, clock_};
  RateLimits limits_{kNoRateLimits};
  ApiContext api_{links_, stats_, *store_, "https://sho.rt", auth_, limits_, clock_};
  Router router_{api_, &metrics_};
};

TEST_F(RouterMetricsTest, GetMetricsIsTheExpositionAndOtherMethodsAre405) {
  Response got = Send("GET");
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("hop_redirects_total "), std::string::npos);
  EXPECT_EQ(Send("POST").status, 405);
}

}  // namespace
}  // namespace hop
