#include "cometd/channel.h"

#include <algorithm>
#include <vector>

namespace workbind::cometd {
namespace {

bool AllowedChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return true;
  switch (c) {
    case ' ':
    case '!':
    case '#':
    case '$':
    case '(':
    case ')':
    case '*':
    case '+':
    case '-':
    case '.':
    case '@':
    case '_':
    case '{':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

enum class Wild { kNone, kOne, kMany };

// A pattern split into its literal segments and its wildcard kind.
struct Split {
  std::vector<std::string_view> segments;
  Wild wild = Wild::kNone;
};

Split SplitPattern(std::string_view p) {
  Split s;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    s.segments.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  if (!s.segments.empty()) {
    if (s.segments.back() == "*") {
      s.wild = Wild::kOne;
      s.segments.pop_back();
    } else if (s.segments.back() == "**") {
      s.wild = Wild::kMany;
      s.segments.pop_back();
    }
  }
  return s;
}

bool PrefixesAgree(const Split& a, const Split& b) {
  size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i)
    if (a.segments[i] != b.segments[i]) return false;
  return true;
}

// Channel lengths (in segments) a pattern accepts: [lo, hi], hi < 0 =
// unbounded.
void Lengths(const Split& s, long* lo, long* hi) {
  long n = static_cast<long>(s.segments.size());
  switch (s.wild) {
    case Wild::kNone:
      *lo = *hi = n;
      break;
    case Wild::kOne:
      *lo = *hi = n + 1;
      break;
    case Wild::kMany:
      *lo = n + 1;
      *hi = -1;
      break;
  }
}

}  // namespace

std::optional<std::string> NormalizeChannel(std::string_view name) {
  if (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  if (name.size() < 2 || name.front() != '/') return std::nullopt;
  size_t start = 1;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    bool last = end == std::string_view::npos;
    if (last) end = name.size();
    std::string_view seg = name.substr(start, end - start);
    if (seg.empty()) return std::nullopt;
    for (char c : seg)
      if (!AllowedChar(c)) return std::nullopt;
    if (seg.find('*') != std::string_view::npos) {
      if (!last || (seg != "*" && seg != "**")) return std::nullopt;
    }
    start = end + 1;
  }
  return std::string(name);
}

bool IsWildcard(std::string_view channel) {
  size_t slash = channel.rfind('/');
  if (slash == std::string_view::npos) return false;
  std::string_view last = channel.substr(slash + 1);
  return last == "*" || last == "**";
}

bool ChannelMatches(std::string_view pattern, std::string_view channel) {
  if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == "**" &&
      (pattern.size() == 3 || pattern[pattern.size() - 3] == '/')) {
    std::string_view prefix =
        pattern.substr(0, pattern.size() - 2);  // ends with '/'
    return channel.size() > prefix.size() &&
           channel.substr(0, prefix.size()) == prefix;
  }
  if (!pattern.empty() && pattern.back() == '*' &&
      (pattern.size() == 2 || pattern[pattern.size() - 2] == '/')) {
    std::string_view prefix =
        pattern.substr(0, pattern.size() - 1);  // ends with '/'
    return channel.size() > prefix.size() &&
           channel.substr(0, prefix.size()) == prefix &&
           channel.find('/', prefix.size()) == std::string_view::npos;
  }
  return pattern == channel;
}

bool PatternCovers(std::string_view outer, std::string_view inner) {
  if (!IsWildcard(inner)) return ChannelMatches(outer, inner);
  Split o = SplitPattern(outer), i = SplitPattern(inner);
  if (o.wild == Wild::kNone) return false;
  if (o.segments.size() > i.segments.size() || !PrefixesAgree(o, i))
    return false;
  if (o.wild == Wild::kMany) return true;
  // outer is "<O>/*": inner must be exactly "<O>/*".
  return i.wild == Wild::kOne && i.segments.size() == o.segments.size();
}

bool PatternsOverlap(std::string_view a, std::string_view b) {
  if (!IsWildcard(a)) return ChannelMatches(b, a);
  if (!IsWildcard(b)) return ChannelMatches(a, b);
  Split sa = SplitPattern(a), sb = SplitPattern(b);
  if (!PrefixesAgree(sa, sb)) return false;
  long alo, ahi, blo, bhi;
  Lengths(sa, &alo, &ahi);
  Lengths(sb, &blo, &bhi);
  long lo = std::max(alo, blo);
  if (ahi >= 0 && lo > ahi) return false;
  if (bhi >= 0 && lo > bhi) return false;
  return true;
}

std::string_view FirstSegment(std::string_view channel) {
  if (channel.empty() || channel.front() != '/') return {};
  size_t end = channel.find('/', 1);
  return channel.substr(
      1, end == std::string_view::npos ? std::string_view::npos : end - 1);
}

bool IsMetaChannel(std::string_view channel) {
  return FirstSegment(channel) == "meta";
}
bool IsServiceChannel(std::string_view channel) {
  return FirstSegment(channel) == "service";
}

}  // namespace workbind::cometd
