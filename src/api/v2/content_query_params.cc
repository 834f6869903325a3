#include "api/v2/content_query_params.h"

#include <algorithm>
#include <charconv>

namespace workbind::api {
namespace {

constexpr std::string_view kUserData = "userData.";
constexpr std::string_view kStates[] = {"Queued",    "Invited",  "Processing",
                                        "Composing", "Chatting", "InWorkbin",
                                        "Completed"};

bool IsContentParameter(const std::string& name) {
  return name == "limit" || name == "cursor" || name == "sort" ||
         name == "mediaType" || name == "state" || name == "count" ||
         name.rfind(kUserData, 0) == 0;
}

}  // namespace

Result<std::optional<domain::ContentQuery>> ParseContentQuery(Context& ctx) {
  const http::Request& req = ctx.request;
  const auto& pairs = req.QueryPairs();
  if (std::none_of(pairs.begin(), pairs.end(),
                   [](const auto& p) { return IsContentParameter(p.first); }))
    return std::optional<domain::ContentQuery>();
  domain::ContentQuery q;
  const int64_t max = ctx.services.settings.content_max_limit;
  if (auto limit = req.Query("limit")) {
    int64_t n = 0;
    auto [end, ec] =
        std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 ||
        n > max)
      return InvalidArgument("Parameter 'limit' must be an integer from 1 to " +
                             std::to_string(max));
    q.limit = n;
  }
  if (auto cursor = req.Query("cursor")) q.cursor = *cursor;
  if (auto sort = req.Query("sort")) {
    std::string_view s = *sort;
    if (!s.empty() && s.front() == '-') {
      q.descending = true;
      s.remove_prefix(1);
    }
    if (s.rfind(kUserData, 0) == 0 && s.size() > kUserData.size()) {
      q.sort_user_data_key = std::string(s.substr(kUserData.size()));
    } else if (s != "receivedDate") {
      return InvalidArgument(
          "Parameter 'sort' must be receivedDate, -receivedDate, "
          "userData.<key> or -userData.<key>");
    }
  }
  if (auto media = req.QueryList("mediaType")) {
    WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
    for (const auto& m : *media) {
      if (!dir->IsMediaType(m))
        return InvalidArgument("Parameter 'mediaType': unknown media type '" +
                               m + "'");
      q.media_types.push_back(m);
    }
  }
  if (auto states = req.QueryList("state")) {
    for (const auto& st : *states) {
      if (std::find(std::begin(kStates), std::end(kStates), st) ==
          std::end(kStates))
        return InvalidArgument("Parameter 'state': unknown state '" + st + "'");
      q.states.push_back(st);
    }
  }
  for (const auto& [name, value] : pairs) {
    if (name.rfind(kUserData, 0) != 0) continue;
    const std::string key = name.substr(kUserData.size());
    if (key.empty())
      return InvalidArgument("Parameter 'userData.' needs a key");
    auto same = [&](const auto& f) { return f.first == key; };
    if (std::none_of(q.user_data.begin(), q.user_data.end(), same))
      q.user_data.emplace_back(key, value);
  }
  std::sort(q.user_data.begin(), q.user_data.end());
  if (auto count = req.Query("count")) {
    if (*count != "true" && *count != "false")
      return InvalidArgument("Parameter 'count' must be true or false");
    q.count_only = *count == "true";
  }
  return std::optional<domain::ContentQuery>(std::move(q));
}

}  // namespace workbind::api
