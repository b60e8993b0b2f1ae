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

// The key bytes in which the events differ, least significant first: the only ones a pass sorts.
std::vector<int> VaryingBytes(const std::vector<ClickEvent>& events) {
  uint64_t link_or = 0;
  uint64_t link_and = ~uint64_t{0};
  uint32_t minute_or = 0;
  uint32_t minute_and = ~uint32_t{0};
  for (const ClickEvent& event : events) {
    link_or |= LinkBits(event);
    link_and &= LinkBits(event);
    minute_or |= MinuteBits(event);
    minute_and &= MinuteBits(event);
  }
  std::vector<int> bytes;
  for (int byte = 0; byte < 8; ++byte) {
    if (((link_or ^ link_and) >> (8 * byte)) & 0xff) bytes.push_back(byte);
  }
  for (int byte = 0; byte < 4; ++byte) {
    if (((minute_or ^ minute_and) >> (8 * byte)) & 0xff) bytes.push_back(8 + byte);
  }
  return bytes;
}

}  // namespace

void SortClicks(std::vector<ClickEvent>& events, std::vector<ClickEvent>& scratch) {
  if (events.size() < 2) return;
  const std::vector<int> bytes = VaryingBytes(events);
  std::array<std::array<size_t, 256>, kKeyBytes> counts{};
  for (const ClickEvent& event : events) {
    for (size_t i = 0; i < bytes.size(); ++i) ++counts[i][ByteOf(event, bytes[i])];
  }
  scratch.resize(events.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    size_t offset = 0;
    for (size_t& count : counts[i]) offset += std::exchange(count, offset);
    for (const ClickEvent& event : events) scratch[counts[i][ByteOf(event, bytes[i])]++] = event;
    events.swap(scratch);
  }
}

}  // namespace hop
