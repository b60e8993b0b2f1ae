// The entry point of the PostgreSQL store module (libhop_postgres.so), which store/open_store.cpp
// loads with dlopen when a postgres:// store is opened. Loader and module are built together from
// one tree, so C++ types may cross the boundary; the symbol itself is unmangled so dlsym finds it.
#pragma once

#include <memory>
#include <string_view>

#include "store/store.h"

namespace hop {

using OpenPostgresStoreFunction = void (*)(std::string_view conninfo,
                                           Result<std::unique_ptr<Store>>* store);

inline constexpr const char* kPostgresModuleFile = "libhop_postgres.so";
inline constexpr const char* kOpenPostgresStoreSymbol = "hop_open_postgres_store";

}  // namespace hop
