// A generated code from its link's id, and back: what the SQLite store pays per link it creates
// (Encode) and per lookup of a code it has not cached (Decode).
#include <benchmark/benchmark.h>

#include "core/link_code_cipher.h"

namespace hop {
namespace {

void BM_EncodeLinkCode(benchmark::State& state) {
  const LinkCodeCipher cipher(LinkCodeCipher::NewKey());
  int64_t id = 1'000'000;
  for (auto _ : state) benchmark::DoNotOptimize(cipher.Encode(id++));
}
BENCHMARK(BM_EncodeLinkCode);

void BM_DecodeLinkCode(benchmark::State& state) {
  const LinkCodeCipher cipher(LinkCodeCipher::NewKey());
  const std::string code = cipher.Encode(1'000'000);
  for (auto _ : state) benchmark::DoNotOptimize(cipher.Decode(code));
}
BENCHMARK(BM_DecodeLinkCode);

}  // namespace
}  // namespace hop
