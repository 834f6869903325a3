// Bayeux channel names and patterns (notifications.md §3.1): validation,
// normalization and the `*` / `**` wildcard rules. A pattern is a channel
// whose last segment may be `*` (exactly one more segment) or `**` (one or
// more segments). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace workbind::cometd {

// Checks `name` against §3.1 (leading '/', no empty segment, allowed
// characters, wildcard only as the whole last segment) after removing one
// trailing '/'. Returns the normalized name, or nullopt when invalid.
std::optional<std::string> NormalizeChannel(std::string_view name);

// True when the last segment is `*` or `**`.
bool IsWildcard(std::string_view channel);

// True when the concrete `channel` matches `pattern` (a pattern without a
// wildcard matches only itself). Both must be normalized.
bool ChannelMatches(std::string_view pattern, std::string_view channel);

// True when every channel matched by `inner` is matched by `outer`.
bool PatternCovers(std::string_view outer, std::string_view inner);

// True when some channel is matched by both patterns.
bool PatternsOverlap(std::string_view a, std::string_view b);

// The first segment, without the leading '/' ("" for an invalid name).
std::string_view FirstSegment(std::string_view channel);

// /meta/** and /service/** (by first segment).
bool IsMetaChannel(std::string_view channel);
bool IsServiceChannel(std::string_view channel);

}  // namespace workbind::cometd
