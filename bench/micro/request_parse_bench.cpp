// Reading a redirect's header: the redirect's own parser (http/redirect_header_parser.h) against
// Beast's request_parser with the session's field memory, which reads every other request. The
// request is the one bench/run.sh's wrk sends.
#include <benchmark/benchmark.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <memory_resource>
#include <optional>
#include <string_view>

#include "http/redirect_header_parser.h"

namespace hop {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kRequest =
    "GET /1000w2A HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\n\r\n";

void BM_ParseRedirectHeader(benchmark::State& state) {
  std::optional<RedirectHeaderParser> parser;
  for (auto _ : state) {
    parser.emplace();
    boost::beast::error_code ec;
    benchmark::DoNotOptimize(parser->Parse(kRequest, ec));
    benchmark::DoNotOptimize(parser->user_agent().data());
  }
}
BENCHMARK(BM_ParseRedirectHeader);

void BM_ParseWithRequestParser(benchmark::State& state) {
  using Parser = http::request_parser<http::string_body, std::pmr::polymorphic_allocator<char>>;
  alignas(std::max_align_t) std::byte field_bytes[1024];
  std::pmr::monotonic_buffer_resource fields_memory(field_bytes, sizeof(field_bytes));
  std::optional<Parser> parser;
  for (auto _ : state) {
    parser.reset();
    fields_memory.release();
    parser.emplace(std::piecewise_construct, std::make_tuple(),
                   std::make_tuple(std::pmr::polymorphic_allocator<char>(&fields_memory)));
    boost::beast::error_code ec;
    benchmark::DoNotOptimize(parser->put(boost::asio::buffer(kRequest), ec));
    benchmark::DoNotOptimize(parser->get()[http::field::user_agent].data());
  }
}
BENCHMARK(BM_ParseWithRequestParser);

}  // namespace
}  // namespace hop
