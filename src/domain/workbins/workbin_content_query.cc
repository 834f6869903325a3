#include "domain/workbins/workbin_content_query.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <optional>

namespace workbind::domain {
namespace json = boost::json;
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string Base64Url(const unsigned char* data, size_t n) {
  std::string out(
      sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
      '\0');
  sodium_bin2base64(out.data(), out.size(), data, n,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64Url(const std::string& s) {
  std::string out(s.size(), '\0');
  size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), s.data(), s.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(n);
  return out;
}

// The MAC key: a hash of the stored secret.
std::string MacKey(const std::string& secret) {
  unsigned char key[crypto_auth_KEYBYTES];
  crypto_generichash(key, sizeof key,
                     reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return std::string(reinterpret_cast<char*>(key), sizeof key);
}

std::string Mac(const std::string& key, const std::string& payload) {
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(payload.data()),
              payload.size(),
              reinterpret_cast<const unsigned char*>(key.data()));
  return std::string(reinterpret_cast<char*>(mac), 16);  // truncated tag
}

std::string QueryHash(const ContentQuery& q, const std::string& scope) {
  const std::string text = scope + "\n" + q.Signature();
  unsigned char h[8];
  crypto_generichash(h, sizeof h,
                     reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return Base64Url(h, sizeof h);
}

// A position in the order: the sort key (received ms, a user-data value, or
// none) and the id.
struct Position {
  json::value key;  // int64 for receivedDate; number/string/null otherwise
  std::string id;
};

std::string MakeCursor(const ContentQuery& q, const std::string& secret,
                       const std::string& scope, const Position& p) {
  json::object o{{"q", QueryHash(q, scope)}, {"k", p.key}, {"i", p.id}};
  const std::string payload = json::serialize(o);
  const std::string mac = Mac(MacKey(secret), payload);
  return Base64Url(reinterpret_cast<const unsigned char*>(payload.data()),
                   payload.size()) +
         "." +
         Base64Url(reinterpret_cast<const unsigned char*>(mac.data()),
                   mac.size());
}

Status BadCursor() {
  return InvalidArgument("Parameter 'cursor' was not issued for this query");
}

Result<Position> ReadCursor(const ContentQuery& q, const std::string& secret,
                            const std::string& scope) {
  const size_t dot = q.cursor.find('.');
  if (dot == std::string::npos) return BadCursor();
  auto payload = FromBase64Url(q.cursor.substr(0, dot));
  auto mac = FromBase64Url(q.cursor.substr(dot + 1));
  if (!payload || !mac || mac->size() != 16) return BadCursor();
  const std::string want = Mac(MacKey(secret), *payload);
  if (sodium_memcmp(want.data(), mac->data(), 16) != 0) return BadCursor();
  boost::system::error_code ec;
  json::value v = json::parse(*payload, ec);
  if (ec || !v.is_object()) return BadCursor();
  const json::object& o = v.as_object();
  const json::value* h = o.if_contains("q");
  const json::value* k = o.if_contains("k");
  const json::value* i = o.if_contains("i");
  if (!h || !h->is_string() || h->as_string() != QueryHash(q, scope) || !k ||
      !i || !i->is_string())
    return BadCursor();
  return Position{*k, std::string(i->as_string())};
}

// An interaction's user data, parsed once per item (an empty object when
// it is not a JSON object).
json::object ParseUserData(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

// The user-data value of `key`: a number or string, else null.
json::value UserDataValue(const json::object& user_data,
                          const std::string& key) {
  const json::value* found = user_data.if_contains(key);
  if (!found || !(found->is_number() || found->is_string())) return nullptr;
  return *found;
}

// Numbers (0), strings (1), missing (2).
int Rank(const json::value& v) {
  return v.is_number() ? 0 : v.is_string() ? 1 : 2;
}

double Number(const json::value& v) {
  return v.is_int64()    ? static_cast<double>(v.get_int64())
         : v.is_uint64() ? static_cast<double>(v.get_uint64())
                         : v.get_double();
}

// <0, 0, >0: the order of (a, a_id) and (b, b_id) under `q`. Numbers come
// before strings and missing values after all others in both directions;
// within a kind, and for the id, `descending` reverses.
int Compare(const ContentQuery& q, const json::value& a, const std::string& ai,
            const json::value& b, const std::string& bi) {
  const int ra = Rank(a), rb = Rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  int c = 0;
  if (ra == 0) {
    const double x = Number(a), y = Number(b);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (ra == 1) {
    c = std::string_view(a.get_string()).compare(b.get_string());
    c = c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (c == 0) c = ai < bi ? -1 : ai > bi ? 1 : 0;
  return q.descending ? -c : c;
}

json::value SortKey(const ContentQuery& q, const storage::InteractionRecord& r,
                    const json::object& user_data) {
  if (q.sort_user_data_key.empty()) return r.received_ms;
  return UserDataValue(user_data, q.sort_user_data_key);
}

// A userData.<key>=v filter: the value is the string v, or a number whose
// JSON text is v.
bool UserDataMatches(
    const json::object& user_data,
    const std::vector<std::pair<std::string, std::string>>& filters) {
  for (const auto& [key, want] : filters) {
    const json::value* got = user_data.if_contains(key);
    if (!got) return false;
    if (got->is_string()) {
      if (got->get_string() != want) return false;
    } else if (got->is_number()) {
      if (json::serialize(*got) != want) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string ContentQuery::Signature() const {
  std::string s = (descending ? "-" : "+") + sort_user_data_key + "|" +
                  Join(media_types) + "|" + Join(states);
  for (const auto& [k, v] : user_data) s += "|" + k + "=" + v;
  return s;
}

Result<ContentPage> PageInMemory(std::vector<storage::InteractionRecord> items,
                                 const ContentQuery& q,
                                 const std::string& secret,
                                 const std::string& scope) {
  std::optional<Position> after;
  if (!q.cursor.empty()) {
    WB_ASSIGN_OR_RETURN(after, ReadCursor(q, secret, scope));
  }
  struct Keyed {
    json::value key;
    storage::InteractionRecord r;
  };
  std::vector<Keyed> kept;
  ContentPage page;
  for (auto& r : items) {
    if (!q.media_types.empty() && !Contains(q.media_types, r.media_type))
      continue;
    if (!q.states.empty() && !Contains(q.states, r.state)) continue;
    const bool needs_user_data =
        !q.user_data.empty() || !q.sort_user_data_key.empty();
    const json::object user_data =
        needs_user_data ? ParseUserData(r.user_data) : json::object();
    if (!UserDataMatches(user_data, q.user_data)) continue;
    if (q.count_only) ++page.counts[r.media_type];
    json::value key = SortKey(q, r, user_data);
    kept.push_back({std::move(key), std::move(r)});
  }
  page.total = static_cast<int64_t>(kept.size());
  if (q.count_only) return page;
  std::sort(kept.begin(), kept.end(), [&](const Keyed& a, const Keyed& b) {
    return Compare(q, a.key, a.r.id, b.key, b.r.id) < 0;
  });
  size_t first = 0;
  if (after) {
    first = static_cast<size_t>(
        std::partition_point(kept.begin(), kept.end(),
                             [&](const Keyed& k) {
                               return Compare(q, k.key, k.r.id, after->key,
                                              after->id) <= 0;
                             }) -
        kept.begin());
  }
  size_t end = kept.size();
  if (q.limit > 0) end = std::min(end, first + static_cast<size_t>(q.limit));
  for (size_t i = first; i < end; ++i)
    page.items.push_back(std::move(kept[i].r));
  if (end < kept.size() && !page.items.empty())
    page.next_cursor = MakeCursor(
        q, secret, scope, Position{kept[end - 1].key, page.items.back().id});
  return page;
}

Result<ContentPage> ReadWorkbinPage(storage::ReadTx& tx,
                                    const std::string& workbin_id,
                                    const ContentQuery& q,
                                    const std::string& secret,
                                    const std::string& scope) {
  const bool fast = q.sort_user_data_key.empty() && q.user_data.empty();
  if (!fast) {
    WB_ASSIGN_OR_RETURN(auto all, tx.ListWorkbinPage(workbin_id, q.media_types,
                                                     false, std::nullopt, 0));
    return PageInMemory(std::move(all), q, secret, scope);
  }
  std::optional<Position> after;
  if (!q.cursor.empty()) {
    WB_ASSIGN_OR_RETURN(after, ReadCursor(q, secret, scope));
    if (!after->key.is_int64()) return BadCursor();
  }
  ContentPage page;
  // Everything held by a workbin is InWorkbin.
  if (!q.states.empty() && !Contains(q.states, "InWorkbin")) return page;
  WB_ASSIGN_OR_RETURN(auto counts, tx.CountWorkbinItemsByMedia(workbin_id));
  for (const auto& [media, n] : counts) {
    if (!q.media_types.empty() && !Contains(q.media_types, media)) continue;
    page.total += n;
    if (q.count_only) page.counts[media] = n;
  }
  if (q.count_only) return page;
  std::optional<std::pair<int64_t, std::string>> from;
  if (after) from.emplace(after->key.get_int64(), after->id);
  const int64_t want = q.limit > 0 ? q.limit + 1 : 0;
  WB_ASSIGN_OR_RETURN(page.items, tx.ListWorkbinPage(workbin_id, q.media_types,
                                                     q.descending, from, want));
  if (q.limit > 0 && static_cast<int64_t>(page.items.size()) > q.limit) {
    page.items.resize(static_cast<size_t>(q.limit));
    const auto& last = page.items.back();
    page.next_cursor = MakeCursor(
        q, secret, scope, Position{json::value(last.received_ms), last.id});
  }
  return page;
}

}  // namespace workbind::domain
