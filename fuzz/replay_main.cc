// A plain driver for the fuzz targets outside a libFuzzer build: feeds
// LLVMFuzzerTestOneInput every file named on the command line (directories
// are read one level deep, in name order), then `--mutations=N` (default
// 2000) seeded mutations of each file: byte flips, inserts, deletions,
// duplicated ranges, JSON and URL tokens, splices with another file. The
// same inputs on every run, so a failure reproduces; the input being run
// when the process dies is written to ./replay-crash-input first.
// Exits 0 when every input returned; a crash or sanitizer report ends it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

// The input being run, for the fatal-signal handler (which can reach no
// other state). Set only around each call.
const std::string* current_input = nullptr;

void DumpCurrentInput(int sig) {
  if (current_input) {
    const int fd =
        ::open("replay-crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ssize_t ignored =
          ::write(fd, current_input->data(), current_input->size());
      (void)ignored;
      ::close(fd);
    }
    static const char kMsg[] =
        "replay: input written to ./replay-crash-input\n";
    ssize_t ignored = ::write(2, kMsg, sizeof kMsg - 1);
    (void)ignored;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void Run(const std::string& input) {
  current_input = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                         input.size());
  current_input = nullptr;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// clang-format off
constexpr std::string_view kTokens[] = {
    "{", "}", "[", "]", "\"", ",", ":", "null", "true", "-0", "1e309",
    "9223372036854775808", "-9223372036854775809", "\\u0000", "\\ud800",
    "%", "%00", "%zz", "%2F", "+", "&", "=", "?", "/", "//", "..", "\xff",
    "\xc3\x28", "{\"a\":", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "*", "**"};
// clang-format on

std::string Mutate(const std::string& in, const std::vector<std::string>& all,
                   std::mt19937& rng) {
  std::string s = in;
  auto pick = [&](size_t n) {
    return n ? std::uniform_int_distribution<size_t>(0, n - 1)(rng) : 0;
  };
  const int steps = 1 + static_cast<int>(pick(4));
  for (int i = 0; i < steps; ++i) {
    switch (pick(7)) {
      case 0:
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:
        s.insert(s.begin() + static_cast<long>(pick(s.size() + 1)),
                 static_cast<char>(pick(256)));
        break;
      case 2:
        if (!s.empty()) {
          const size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<size_t>(16, s.size() - at)));
        }
        break;
      case 3:
        if (!s.empty()) {
          const size_t at = pick(s.size());
          const size_t len = 1 + pick(std::min<size_t>(32, s.size() - at));
          s.insert(pick(s.size() + 1), s.substr(at, len));
        }
        break;
      case 4:
      case 5: {
        const auto tok = kTokens[pick(std::size(kTokens))];
        s.insert(pick(s.size() + 1), tok);
        break;
      }
      case 6: {
        const std::string& other = all[pick(all.size())];
        if (!other.empty())
          s = s.substr(0, pick(s.size() + 1)) +
              other.substr(pick(other.size()));
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 2000;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::stol(std::string(arg.substr(12)));
    } else if (fs::is_directory(arg)) {
      std::vector<fs::path> in_dir;
      for (const auto& e : fs::directory_iterator(arg))
        if (e.is_regular_file()) in_dir.push_back(e.path());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::is_regular_file(arg)) {
      files.emplace_back(arg);
    } else {
      std::cerr << "replay: no such file or directory: " << arg << "\n";
      return 2;
    }
  }
  if (files.empty()) {
    std::cerr << "usage: " << argv[0] << " [--mutations=N] FILE|DIR...\n";
    return 2;
  }
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL})
    std::signal(sig, DumpCurrentInput);

  std::vector<std::string> inputs;
  for (const auto& f : files) inputs.push_back(ReadFile(f));
  for (const auto& in : inputs) Run(in);
  std::mt19937 rng(20240601);
  long runs = 0;
  for (const auto& in : inputs)
    for (long m = 0; m < mutations; ++m, ++runs) Run(Mutate(in, inputs, rng));
  std::cout << "replay: " << inputs.size() << " corpus inputs and " << runs
            << " mutations ran\n";
  return 0;
}
