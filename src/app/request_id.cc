#include "app/request_id.h"

#include <fmt/format.h>

#include <random>

namespace workbind::app {

bool AcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

RequestIdSource::RequestIdSource() {
  std::random_device random;
  const uint64_t prefix =
      (uint64_t{random()} << 32 | random()) & 0xFFFFFFFFFFFFull;
  prefix_ = fmt::format("{:012x}", prefix);
}

std::string RequestIdSource::Next() {
  const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  return fmt::format("{}-{:08x}", prefix_, n);
}

}  // namespace workbind::app
