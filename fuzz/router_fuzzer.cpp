// Fuzz target: an HTTP request from its first byte to its answer, without a socket.
//
// The bytes go through Beast's parser with the server's limits, then where a connection would send
// them: the redirect path (LinkResolver and the redirect bytes) or the Router, with its guard, its
// handlers and a real SQLite store in a temporary directory. The store holds one admin key whose
// value the seed corpus uses, so the fuzzer starts from requests that get past authentication.
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/api_key.h"
#include "core/clock.h"
#include "http/beast_request.h"
#include "http/redirect_response.h"
#include "http/router.h"
#include "service/auth_service.h"
#include "service/link_cache.h"
#include "service/link_events.h"
#include "service/link_resolver.h"
#include "service/link_service.h"
#include "service/rate_limits.h"
#include "service/stats_service.h"
#include "store/store.h"

namespace {

namespace http = boost::beast::http;

// The key the seed corpus sends: "hop_" and 43 'F'.
const std::string kFuzzKey = "hop_" + std::string(43, 'F');

// Everything the router needs, built once: a fresh store per input would make each run a
// migration. The store's state accumulates across inputs (links, keys), as it does on a server.
struct World {
  World() {
    char dir_template[] = "/tmp/hop-fuzz-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) std::abort();
    dir = dir_template;
    hop::Result<std::unique_ptr<hop::Store>> opened = hop::OpenStore("sqlite:" + dir + "/hop.db");
    if (!opened.ok() || !opened.value()->Migrate().ok()) std::abort();
    store = std::move(opened).value();
    hop::ApiKey key;
    key.name = "fuzz";
    key.hash = hop::HashApiKey(kFuzzKey);
    key.role = hop::Role::kAdmin;
    key.created_at = clock.Now();
    if (!store->CreateApiKey(key).ok()) std::abort();
    links = std::make_unique<hop::LinkService>(
        *store, clock,
        hop::TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {"evil.example"}}, events);
    stats = std::make_unique<hop::StatsService>(*store, clock);
    auth = std::make_unique<hop::AuthService>(*store, clock);
    api = std::make_unique<hop::ApiContext>(
        hop::ApiContext{*links, *stats, *store, "https://sho.rt", *auth, limits, clock, false});
    router = std::make_unique<hop::Router>(*api);
    resolver = std::make_unique<hop::LinkResolver>(*store, hop::Millis(2000));
  }
  std::string dir;
  hop::SystemClock clock;
  hop::LinkEvents events;
  hop::RateLimits limits{hop::RateLimitOptions{.api = {}, .create = {}, .scan = {}}};
  std::unique_ptr<hop::Store> store;
  std::unique_ptr<hop::LinkService> links;
  std::unique_ptr<hop::StatsService> stats;
  std::unique_ptr<hop::AuthService> auth;
  std::unique_ptr<hop::ApiContext> api;
  std::unique_ptr<hop::Router> router;
  std::unique_ptr<hop::LinkResolver> resolver;
  std::string redirect;
};

// Never destroyed: libFuzzer may end the process from any thread. The temporary directory goes
// with the machine's /tmp.
World& TheWorld() {
  static World* world = new World();
  return *world;
}

void Answer(World& world, http::request<http::string_body>&& message) {
  const std::string_view target = message.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (hop::IsRedirectRequest(message.method_string(), path)) {
    // A cache of the input's own: LinkCache tags its pointers, which hides its entries from
    // LeakSanitizer, so one that outlived the input would be reported as leaked.
    hop::LinkCache cache(1000, 1000);
    hop::Resolution resolution = world.resolver->Resolve(path.substr(1), cache, world.clock.Now());
    if (resolution.verdict == hop::Verdict::kRedirect) {
      const size_t q = target.find('?');
      hop::BuildRedirectResponse(world.redirect, *resolution.link,
                                 q == std::string_view::npos ? "" : target.substr(q + 1),
                                 "Sun, 22 Nov 2026 20:00:00 GMT", message.keep_alive());
    }
    return;
  }
  hop::Response response = world.router->HandleAndWait(hop::ToRequest(std::move(message)));
  if (response.status < 200 || response.status > 599) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  Answer(world, parser.release());
  return 0;
}
