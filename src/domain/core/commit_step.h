// CommitStep: work a caller adds to the write transaction of a domain change
// (e.g. storing an Idempotency-Key's reply with the change it answers, so
// that both commit or neither does). The service runs it inside that
// transaction after the change succeeded and before the commit, with what
// the change produced. It may run more than once (Store::Write may run its
// function again); it must be idempotent within the transaction. An error
// undoes the change and is the operation's error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace workbind::domain {

// What a change produced, as far as its reply depends on it.
struct ChangeOutcome {
  int64_t reference_id = 0;  // the caller's referenceId (0: none)
  std::string id;            // the created resource's id ("" : none)
};

using CommitStep =
    std::function<Status(storage::WriteTx& tx, const ChangeOutcome& outcome)>;

}  // namespace workbind::domain
