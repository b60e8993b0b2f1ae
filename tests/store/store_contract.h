// The store contract suite: one set of tests every Store implementation must pass.
//
// Each implementation instantiates the suite with a factory that returns a fresh, empty, migrated
// store:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(StoreFactory{...}),
//   FactoryName);
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/store.h"

namespace hop {

struct StoreFactory {
  std::string name;
  // Returns a store on a fresh, empty database with the schema migrated.
  std::function<std::unique_ptr<Store>()> make;
};

// gtest prints a test's parameter in failure messages; the name says more than the struct's bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }
  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace hop
