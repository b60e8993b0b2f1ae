// ServerMetrics: GET /metrics, in Prometheus' text exposition format (version 0.0.4).
//
// Everything is gathered when scraped: each worker's ServingCounters and cache size, the click
// pipeline's and the link creator's counters, and one store Ping for hop_store_up. Nothing is
// aggregated in between, so serving pays only for its own counts. The metrics are listed, with what
// to alert on, in README.md ("Running in production").
//
// Thread-safety: AddWorker before serving starts; Scrape from any thread, concurrently.
#pragma once

#include <vector>

#include "core/clock.h"
#include "http/message.h"
#include "http/serving_counters.h"
#include "service/click_pipeline.h"
#include "service/link_cache.h"
#include "service/link_creator.h"
#include "store/store.h"

namespace hop {

class ServerMetrics {
 public:
  // `started_at`: when the process started, for process_start_time_seconds.
  ServerMetrics(const ClickPipeline& clicks, const LinkCreator& creates, Store& store,
                TimePoint started_at)
      : clicks_(clicks), creates_(creates), store_(store), started_at_(started_at) {}
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Both must outlive this object.
  void AddWorker(const ServingCounters& counters, const LinkCache& cache) {
    workers_.push_back({&counters, &cache});
  }

  // The exposition, as a 200 response.
  Response Scrape() const;

 private:
  struct WorkerParts {
    const ServingCounters* counters;
    const LinkCache* cache;
  };

  const ClickPipeline& clicks_;
  const LinkCreator& creates_;
  Store& store_;
  const TimePoint started_at_;
  std::vector<WorkerParts> workers_;
};

}  // namespace hop
