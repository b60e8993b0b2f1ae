// PgParams: PostgreSQL's binary send format (see the type's *send functions in the server):
// integers big-endian, text as its bytes, arrays as a header (dimensions, null flag, element type,
// length and lower bound per dimension) followed by each element's length and bytes.
#include "store/postgres/pg_params.h"

#include <algorithm>

#include "store/postgres/pg_types.h"

namespace hop {

void PgParams::AddInt64(int64_t value) {
  BeginValue();
  AppendInt64(value);
  EndValue();
}

void PgParams::AddInt32(int32_t value) {
  BeginValue();
  AppendInt32(value);
  EndValue();
}

void PgParams::AddBool(bool value) {
  BeginValue();
  bytes_ += static_cast<char>(value ? 1 : 0);
  EndValue();
}

void PgParams::AddText(std::string_view value) {
  BeginValue();
  bytes_ += value;
  EndValue();
}

void PgParams::AddInt64Array(std::span<const int64_t> values) {
  BeginValue();
  AppendArrayHeader(kPgInt8Oid, values.size());
  for (int64_t value : values) {
    AppendInt32(8);
    AppendInt64(value);
  }
  EndValue();
}

void PgParams::AddTextArray(std::span<const std::string> values) {
  BeginValue();
  AppendArrayHeader(kPgTextOid, values.size());
  for (const std::string& value : values) {
    AppendInt32(static_cast<int32_t>(value.size()));
    bytes_ += value;
  }
  EndValue();
}

void PgParams::AddInt64Array(std::span<const std::optional<int64_t>> values) {
  BeginValue();
  AppendArrayHeader(kPgInt8Oid, values.size(),
                    std::any_of(values.begin(), values.end(), [](auto& v) { return !v; }));
  for (const std::optional<int64_t>& value : values) {
    AppendInt32(value ? 8 : -1);
    if (value) AppendInt64(*value);
  }
  EndValue();
}

void PgParams::AddInt32Array(std::span<const int32_t> values) {
  BeginValue();
  AppendArrayHeader(kPgInt4Oid, values.size());
  for (int32_t value : values) {
    AppendInt32(4);
    AppendInt32(value);
  }
  EndValue();
}

void PgParams::AddBoolArray(const std::vector<bool>& values) {
  BeginValue();
  AppendArrayHeader(kPgBoolOid, values.size());
  for (bool value : values) {
    AppendInt32(1);
    bytes_ += static_cast<char>(value ? 1 : 0);
  }
  EndValue();
}

void PgParams::AddTextArray(std::span<const std::optional<std::string_view>> values) {
  BeginValue();
  AppendArrayHeader(kPgTextOid, values.size(),
                    std::any_of(values.begin(), values.end(), [](auto& v) { return !v; }));
  for (const std::optional<std::string_view>& value : values) {
    AppendInt32(value ? static_cast<int32_t>(value->size()) : -1);
    if (value) bytes_ += *value;
  }
  EndValue();
}

void PgParams::AddNull() {
  offsets_.push_back(bytes_.size());
  lengths_.push_back(-1);
}

PgParams::Arrays PgParams::Bind() const {
  Arrays arrays;
  arrays.values.reserve(lengths_.size());
  for (size_t i = 0; i < lengths_.size(); ++i)
    arrays.values.push_back(lengths_[i] < 0 ? nullptr : bytes_.data() + offsets_[i]);
  arrays.lengths = lengths_;
  arrays.formats.assign(lengths_.size(), 1);
  return arrays;
}

void PgParams::BeginValue() { offsets_.push_back(bytes_.size()); }

void PgParams::EndValue() { lengths_.push_back(static_cast<int>(bytes_.size() - offsets_.back())); }

void PgParams::AppendInt64(int64_t value) {
  auto bits = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) bytes_ += static_cast<char>(bits >> shift);
}

void PgParams::AppendInt32(int32_t value) {
  auto bits = static_cast<uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) bytes_ += static_cast<char>(bits >> shift);
}

void PgParams::AppendArrayHeader(uint32_t element_type, size_t count, bool has_nulls) {
  // An empty array has no dimensions at all, which is how PostgreSQL writes '{}' itself.
  AppendInt32(count == 0 ? 0 : 1);  // dimensions
  AppendInt32(has_nulls ? 1 : 0);   // a NULL element is one of length -1
  AppendInt32(static_cast<int32_t>(element_type));
  if (count == 0) return;
  AppendInt32(static_cast<int32_t>(count));
  AppendInt32(1);  // lower bound
}

}  // namespace hop
