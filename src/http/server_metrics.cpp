// ServerMetrics: one HELP and TYPE line per metric, then its samples, as Prometheus expects.
#include "http/server_metrics.h"

#include <cstdio>
#include <string>

namespace hop {
namespace {

class Exposition {
 public:
  Exposition& Metric(const char* name, const char* type, const char* help) {
    name_ = name;
    text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    return *this;
  }
  // A sample of the last metric; `labels` is empty or `key="value"`.
  Exposition& Sample(uint64_t value, const std::string& labels = "") {
    text_.append(name_);
    if (!labels.empty()) text_.append("{").append(labels).append("}");
    text_.append(" ").append(std::to_string(value)).append("\n");
    return *this;
  }
  Exposition& Sample(double value) {
    char number[32];
    std::snprintf(number, sizeof(number), "%.3f", value);
    text_.append(name_).append(" ").append(number).append("\n");
    return *this;
  }
  std::string Take() { return std::move(text_); }

 private:
  const char* name_ = "";
  std::string text_;
};

}  // namespace

Response ServerMetrics::Scrape() const {
  uint64_t redirects = 0;
  uint64_t responses[6] = {};
  uint64_t cached = 0;
  for (const WorkerParts& worker : workers_) {
    redirects += worker.counters->redirects();
    for (int status_class = 1; status_class <= 5; ++status_class)
      responses[status_class] += worker.counters->responses(status_class);
    cached += worker.cache->shared_size();
  }
  const bool store_up = store_.Ping().ok();

  Exposition out;
  out.Metric("hop_redirects_total", "counter", "Redirects answered (3xx to a link's target).")
      .Sample(redirects);
  out.Metric("hop_http_responses_total", "counter", "HTTP responses sent, by status class.");
  for (int status_class = 1; status_class <= 5; ++status_class)
    out.Sample(responses[status_class], "code=\"" + std::to_string(status_class) + "xx\"");
  out.Metric("hop_clicks_flushed_total", "counter", "Clicks written to the store.")
      .Sample(clicks_.flushed_clicks());
  out.Metric("hop_clicks_dropped_total", "counter",
             "Clicks dropped because the click buffer was full while the store was unreachable.")
      .Sample(clicks_.dropped_clicks());
  out.Metric("hop_clicks_pending", "gauge",
             "Clicks counted but not yet written to the store (kept while it is unreachable).")
      .Sample(clicks_.pending_clicks());
  out.Metric("hop_click_buffer_entries", "gauge",
             "(link, minute) entries holding the pending clicks.")
      .Sample(clicks_.pending_entries());
  out.Metric("hop_click_buffer_capacity_entries", "gauge",
             "Entries the click buffer keeps before dropping the oldest minutes (--click-buffer).")
      .Sample(clicks_.max_pending_entries());
  out.Metric("hop_links_created_total", "counter",
             "Links created through the API, each committed before it was answered.")
      .Sample(creates_.links_created());
  out.Metric("hop_link_create_batches_total", "counter",
             "Transactions the created links were written in, several creates to one when they "
             "arrive together.")
      .Sample(creates_.batches());
  out.Metric("hop_store_up", "gauge", "1 when the store answered a ping during this scrape.")
      .Sample(uint64_t{store_up});
  out.Metric("hop_links_cached", "gauge", "Links held in the workers' caches, summed over workers.")
      .Sample(cached);
  out.Metric("process_start_time_seconds", "gauge", "Start time of the process, in Unix seconds.")
      .Sample(static_cast<double>(ToUnixMillis(started_at_)) / 1000.0);

  Response response;
  response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.SetHeader("Cache-Control", "no-store");
  response.body = out.Take();
  return response;
}

}  // namespace hop
