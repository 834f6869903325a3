// Small readings of process state for the reports: CPU time used by this
// process (getrusage) and the resident memory of any process (VmRSS).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

namespace workbind::bench {

// User + system CPU seconds used by this process so far.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// VmRSS of process `pid` in KiB, or -1 when it cannot be read.
inline int64_t RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

// A one-line description of the machine: cores and CPU model.
inline std::string MachineLine() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  return std::to_string(std::thread::hardware_concurrency()) + " cores, " +
         model;
}

}  // namespace workbind::bench
