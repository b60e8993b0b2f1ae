// PgParams: the parameters of one PostgreSQL statement, encoded in PostgreSQL's binary format.
//
// Values travel out of band from the SQL text, so nothing a user typed is ever parsed as SQL, and
// in binary, so there is no literal syntax to escape either: a tag with a quote or a comma in it is
// just bytes, and ten thousand click counts cost no formatting. The server decodes each value as
// the type its placeholder is cast to in the statement ($1::bigint, $2::text[], ...), so the Add
// call must match that cast exactly; the statements in this directory cast every placeholder for
// that reason.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hop {

class PgParams {
 public:
  void AddInt64(int64_t value);                            // bigint
  void AddInt32(int32_t value);                            // integer
  void AddBool(bool value);                                // boolean
  void AddText(std::string_view value);                    // text
  void AddInt64Array(std::span<const int64_t> values);     // bigint[]
  void AddTextArray(std::span<const std::string> values);  // text[]
  void AddNull();                                          // any type

  // Arrays with an element per row of a batch, for statements that unnest them; an empty optional
  // is a NULL element.
  void AddInt64Array(std::span<const std::optional<int64_t>> values);          // bigint[]
  void AddInt32Array(std::span<const int32_t> values);                         // integer[]
  void AddBoolArray(const std::vector<bool>& values);                          // boolean[]
  void AddTextArray(std::span<const std::optional<std::string_view>> values);  // text[]

  // NULL when `value` is empty.
  void AddInt64OrNull(std::optional<int64_t> value) { value ? AddInt64(*value) : AddNull(); }
  void AddInt32OrNull(std::optional<int32_t> value) { value ? AddInt32(*value) : AddNull(); }
  void AddBoolOrNull(std::optional<bool> value) { value ? AddBool(*value) : AddNull(); }
  void AddTextOrNull(const std::optional<std::string>& value) {
    value ? AddText(*value) : AddNull();
  }
  void AddTextArrayOrNull(const std::optional<std::vector<std::string>>& values) {
    values ? AddTextArray(*values) : AddNull();
  }

  int size() const { return static_cast<int>(lengths_.size()); }

  // The arrays PQexecPrepared takes. `values` points into this object: valid until the next Add.
  struct Arrays {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };
  Arrays Bind() const;

 private:
  void BeginValue();
  void EndValue();
  void AppendInt64(int64_t value);
  void AppendInt32(int32_t value);
  void AppendArrayHeader(uint32_t element_type, size_t count, bool has_nulls = false);

  std::string bytes_;  // every value back to back
  std::vector<size_t> offsets_;
  std::vector<int> lengths_;  // -1 for NULL, as libpq expects
};

}  // namespace hop
