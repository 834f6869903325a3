// Small readings of process state for the reports: CPU time used by this
// process (getrusage), the resident memory of any process (VmRSS, VmHWM), the
// CPU time and context switches of a server under test (ServerMeter).
#pragma once

#include <dirent.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace workbind::bench {

// User + system CPU seconds used by this process so far.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// User + system CPU seconds used by process `pid` (from /proc/<pid>/stat),
// or -1 when it cannot be read.
inline double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  return ticks / sysconf(_SC_CLK_TCK);
}

// Field `name` (e.g. "VmRSS", "VmHWM": peak RSS) of /proc/<pid>/status in
// KiB, or -1 when it cannot be read.
inline int64_t StatusKiB(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string prefix = name + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      return std::stoll(line.substr(prefix.size()));
  return -1;
}

// VmRSS of process `pid` in KiB, or -1 when it cannot be read.
inline int64_t RssKiB(pid_t pid) { return StatusKiB(pid, "VmRSS"); }

// The numeric entries of directory `path` (pids or tids); empty when it
// cannot be read.
inline std::vector<pid_t> NumericEntries(const std::string& path) {
  std::vector<pid_t> ids;
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
        ids.push_back(static_cast<pid_t>(std::stol(e->d_name)));
    closedir(dir);
  }
  return ids;
}

// Process `pid` and its direct child processes (the workers of a
// master-worker server such as nginx), from /proc/<pid>/task/*/children.
inline std::vector<pid_t> ProcessAndChildren(pid_t pid) {
  std::vector<pid_t> pids{pid};
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task/";
  for (pid_t tid : NumericEntries(tasks)) {
    std::ifstream in(tasks + std::to_string(tid) + "/children");
    for (pid_t child; in >> child;) pids.push_back(child);
  }
  return pids;
}

// Usage of a server at one instant: process `pid` and its direct children,
// every thread of each.
struct ServerSample {
  struct Task {
    uint64_t cpu_ns = 0;           // /proc/.../schedstat, time on a CPU
    int64_t context_switches = 0;  // voluntary + nonvoluntary
  };
  double stat_cpu_seconds = 0;  // sum of ProcessCpuSeconds over the processes
  std::map<pid_t, Task> tasks;  // by thread id
  bool schedstat_read = true;   // false when a schedstat could not be read
};

inline ServerSample SampleServer(pid_t pid) {
  ServerSample sample;
  for (pid_t p : ProcessAndChildren(pid)) {
    const double cpu = ProcessCpuSeconds(p);
    if (cpu > 0) sample.stat_cpu_seconds += cpu;
    const std::string tasks = "/proc/" + std::to_string(p) + "/task/";
    for (pid_t tid : NumericEntries(tasks)) {
      const std::string dir = tasks + std::to_string(tid);
      ServerSample::Task t;
      if (!(std::ifstream(dir + "/schedstat") >> t.cpu_ns))
        sample.schedstat_read = false;
      std::ifstream status(dir + "/status");
      for (std::string line; std::getline(status, line);)
        if (line.find("ctxt_switches:") != std::string::npos)
          t.context_switches += std::stoll(line.substr(line.find(':') + 1));
      sample.tasks[tid] = t;
    }
  }
  return sample;
}

// Server CPU time and context switches over a window, from two samples.
struct ServerUsage {
  double cpu_us = 0;
  int64_t context_switches = 0;
};

// Measures what server process `pid` (with its direct children) spends
// between Start() and Stop(). CPU time: the per-thread nanosecond counters
// of /proc/<tid>/schedstat when every thread seen at Start() is still
// there at Stop() and every counter could be read; otherwise (a thread
// exited, taking its counter along) utime + stime of /proc/<pid>/stat, which
// keep the time of exited threads but count in clock ticks. Context switches:
// the sum over the threads of voluntary_ctxt_switches +
// nonvoluntary_ctxt_switches (those of threads that exited within the window
// are lost). A thread that appeared within the window counts in full. Not
// thread-safe.
class ServerMeter {
 public:
  explicit ServerMeter(pid_t pid) : pid_(pid) {}
  bool enabled() const { return pid_ > 0; }

  void Start() {
    if (enabled()) start_ = SampleServer(pid_);
  }

  ServerUsage Stop() const {
    ServerUsage usage;
    if (!enabled()) return usage;
    const ServerSample end = SampleServer(pid_);
    bool all_threads_stayed = start_.schedstat_read && end.schedstat_read;
    for (const auto& [tid, t] : start_.tasks)
      if (!end.tasks.count(tid)) all_threads_stayed = false;
    uint64_t cpu_ns = 0;
    for (const auto& [tid, t] : end.tasks) {
      const auto it = start_.tasks.find(tid);
      const bool seen = it != start_.tasks.end();
      cpu_ns += t.cpu_ns - (seen ? it->second.cpu_ns : 0);
      usage.context_switches +=
          t.context_switches - (seen ? it->second.context_switches : 0);
    }
    usage.cpu_us = all_threads_stayed
                       ? cpu_ns / 1e3
                       : 1e6 * (end.stat_cpu_seconds - start_.stat_cpu_seconds);
    return usage;
  }

 private:
  pid_t pid_;
  ServerSample start_;
};

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
