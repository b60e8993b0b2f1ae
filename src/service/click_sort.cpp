// SortClicks: a byte-wise radix sort over the twelve bytes of (minute, link_id).
#include "service/click_sort.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace hop {
namespace {

// Byte 0 to 7: the link id's, least significant first; 8 to 11: the minute's. Each number has its
// sign bit flipped, so that its bytes sort as unsigned ones in the order of the signed values.
constexpr int kKeyBytes = 12;

uint64_t LinkBits(const ClickEvent& event) {
  return static_cast<uint64_t>(event.link_id) ^ (uint64_t{1} << 63);
}

uint32_t MinuteBits(const ClickEvent& event) {
  return static_cast<uint32_t>(event.minute) ^ (uint32_t{1} << 31);
}

unsigned ByteOf(const ClickEvent& event, int byte) {
  return byte < 8 ? (LinkBits(event) >> (8 * byte)) & 0xff
                  : (MinuteBits(event) >> (8 * (byte - 8))) & 0xff;
}

using Histograms = std::array<std::array<size_t, 256>, kKeyBytes>;

}  // namespace

void SortClicks(std::vector<ClickEvent>& events, std::vector<ClickEvent>& scratch) {
  if (events.size() < 2) return;
  // One read of the events counts every byte position; a position whose bytes are all one value
  // would move nothing, and is skipped.
  Histograms counts{};
  for (const ClickEvent& event : events) {
    const uint64_t link = LinkBits(event);
    const uint32_t minute = MinuteBits(event);
    for (int byte = 0; byte < 8; ++byte) ++counts[byte][(link >> (8 * byte)) & 0xff];
    for (int byte = 0; byte < 4; ++byte) ++counts[8 + byte][(minute >> (8 * byte)) & 0xff];
  }
  scratch.resize(events.size());
  for (int byte = 0; byte < kKeyBytes; ++byte) {
    std::array<size_t, 256>& count = counts[byte];
    if (count[ByteOf(events.front(), byte)] == events.size()) continue;
    size_t offset = 0;
    for (size_t& c : count) offset += std::exchange(c, offset);
    for (const ClickEvent& event : events) scratch[count[ByteOf(event, byte)]++] = event;
    events.swap(scratch);
  }
}

}  // namespace hop
