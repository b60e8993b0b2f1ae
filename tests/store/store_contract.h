// The store contract suite: one set of tests every Store implementation must pass.
//
// Each implementation instantiates the suite with a factory that returns a fresh, empty, migrated
// store:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(StoreFactory{...}),
//   FactoryName);
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/api_key.h"
#include "store/store.h"
#include "store_test_support.h"

namespace hop {

// A store under test, and what the Store interface hides but a test must see: how many minute
// rows its database holds, of every link, deleted ones included.
struct StoreUnderTest {
  std::unique_ptr<Store> store;
  std::function<int64_t()> count_minute_rows;
};

struct StoreFactory {
  std::string name;
  // Returns a store on a fresh, empty database with the schema migrated.
  std::function<StoreUnderTest()> make;
};

// gtest prints a test's parameter in failure messages; the name says more than the struct's bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    under_test_ = GetParam().make();
    ASSERT_NE(under_test_.store, nullptr);
  }
  Store& store() { return *under_test_.store; }
  int64_t CountMinuteRows() { return under_test_.count_minute_rows(); }

 private:
  StoreUnderTest under_test_;
};

// A new API key named `name` in `store`: an owner for the links a test creates.
inline int64_t NewKey(Store& store, const std::string& name) {
  ApiKey key;
  key.name = name;
  key.hash = HashApiKey(GenerateApiKey());
  key.created_at = kNow;
  return Must(store.CreateApiKey(key)).id;
}

}  // namespace hop
