// NameThisThread: gives the calling thread a name that top -H, ps -L and /proc/PID/task/TID/comm
// show, so an operator (and bench/harness) can tell hop's workers, click flusher and committer
// apart. Linux keeps at most 15 characters; longer names are cut.
#pragma once

#include <pthread.h>

#include <string>

namespace hop {

inline void NameThisThread(const std::string& name) {
  (void)pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace hop
