// The process's limit on open files, which bounds how many connections hop can hold.
#pragma once

#include <cstdint>

namespace hop {

// Raises the soft RLIMIT_NOFILE to the hard one: every connection is a file descriptor, and the
// usual soft limit of 1024 would let a few hundred idle connections (a slowloris attack) use up
// what new clients need. Returns the soft limit now in force.
uint64_t RaiseOpenFileLimit();

}  // namespace hop
