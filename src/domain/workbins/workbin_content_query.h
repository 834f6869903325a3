// Paging, sorting, filtering and counting of workbin content
// (extensions.md §1): the parsed query, the page it reads, and the signed,
// opaque cursors that continue it. Functions over a read transaction;
// thread-safe as long as the transaction is not shared.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/store.h"

namespace workbind::domain {

struct ContentQuery {
  int64_t limit = 0;  // 0: every matching item
  // Sort: received date (empty key) or userData.<key>; then id, same way.
  std::string sort_user_data_key;
  bool descending = false;
  std::vector<std::string> media_types;  // filter; empty: every media
  std::vector<std::string> states;       // filter; empty: every state
  // userData.<key>=value filters, all of which must match.
  std::vector<std::pair<std::string, std::string>> user_data;
  bool count_only = false;  // count=true: totals, no items
  std::string cursor;       // a nextCursor of the same query, or empty

  // The sort and filters as one canonical text (cursors are bound to it).
  std::string Signature() const;
};

struct ContentPage {
  std::vector<storage::InteractionRecord> items;  // the page, in order
  int64_t total = 0;        // matching items, ignoring limit and cursor
  std::string next_cursor;  // empty: nothing follows
  std::map<std::string, int64_t> counts;  // count_only: per media type
};

// Reads the page of workbin `workbin_id` for `q` (media types already
// checked by the caller). `secret` signs and checks cursors; `scope` binds
// them to the addressed collection (e.g. the workbin id and media segment).
// kInvalidArgument "Parameter 'cursor' ..." for a cursor that was not issued
// for this query.
Result<ContentPage> ReadWorkbinPage(storage::ReadTx& tx,
                                    const std::string& workbin_id,
                                    const ContentQuery& q,
                                    const std::string& secret,
                                    const std::string& scope);

// Orders and pages `items` in memory (the general path; also used for the
// agent's interaction collections). Same cursor rules as ReadWorkbinPage.
Result<ContentPage> PageInMemory(std::vector<storage::InteractionRecord> items,
                                 const ContentQuery& q,
                                 const std::string& secret,
                                 const std::string& scope);

}  // namespace workbind::domain
