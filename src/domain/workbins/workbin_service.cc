#include "domain/workbins/workbin_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <tuple>

#include "domain/interactions/interaction_access.h"
#include "domain/interactions/workbin_announcements.h"
#include "domain/workbins/workbin_access.h"
#include "domain/workbins/workbin_render.h"
#include "domain/workbins/workbin_subscriptions.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

// The order of List: by type, then name, owner name and id.
int TypeRank(const std::string& type) {
  if (type == "Agent") return 0;
  if (type == "Place") return 1;
  if (type == "AgentGroup") return 2;
  return 3;
}

}  // namespace

WorkbinService::WorkbinService(const ServiceDeps& deps) : deps_(deps) {}

Status WorkbinService::InScope(const Principal& who, TxKind kind,
                               const std::string* workbin_id,
                               const WorkbinAddress& at,
                               const ScopeFn& fn) const {
  const int64_t now = deps_.clock->NowMillis();
  auto run = [&](storage::ReadTx& tx, storage::WriteTx* write_tx,
                 NotificationList* out) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir,
                        deps_.directories->Get(tx, who.contact_center_id));
    WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
    const storage::WorkbinRecord* w = nullptr;
    if (workbin_id) {
      WB_ASSIGN_OR_RETURN(w, FindAddressed(tx, *dir, *me, *workbin_id, at));
    }
    std::optional<TxScope> change;
    if (write_tx)
      change.emplace(
          TxScope{*write_tx, *dir, *deps_.notifier, *deps_.renderer, now, out});
    WorkbinScope scope{tx, change ? &*change : nullptr, *dir, *me, w, now};
    return fn(scope);
  };
  if (kind == TxKind::kRead)
    return deps_.store->Read(
        [&](storage::ReadTx& tx) { return run(tx, nullptr, nullptr); });
  return deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) {
        return run(tx, &tx, out);
      });
}

Result<std::vector<WorkbinContent>> WorkbinService::List(
    const Principal& who, bool own_only, bool with_content,
    const std::string& for_user_id) {
  std::vector<WorkbinContent> out;
  Status st =
      InScope(who, TxKind::kRead, nullptr, {}, [&](WorkbinScope& s) -> Status {
        out.clear();
        bool own = own_only;
        const storage::UserRecord* owner = &s.me;
        if (!for_user_id.empty()) {
          WB_ASSIGN_OR_RETURN(owner, TargetUser(s.dir, s.me, for_user_id));
          own = true;
        }
        WB_ASSIGN_OR_RETURN(std::string place,
                            CurrentPlace(s.tx, s.dir, owner->id));
        struct Keyed {
          int rank;
          std::string name, owner, id;
          const storage::WorkbinRecord* w;
        };
        std::vector<Keyed> chosen;
        for (const auto& w : s.dir.data().workbins) {
          bool take = false;
          if (own) {
            take = IsOwnPlaceOrAgent(w, owner->id, place);
          } else {
            WB_ASSIGN_OR_RETURN(take, WorkbinVisible(s.tx, s.dir, s.me, w));
          }
          if (take)
            chosen.push_back({TypeRank(w.owner_type), DefinitionName(s.dir, w),
                              WorkbinOwnerName(s.dir, w), w.id, &w});
        }
        std::sort(chosen.begin(), chosen.end(),
                  [](const Keyed& a, const Keyed& b) {
                    return std::tie(a.rank, a.name, a.owner, a.id) <
                           std::tie(b.rank, b.name, b.owner, b.id);
                  });
        for (const auto& k : chosen) {
          WorkbinContent c;
          c.workbin = WorkbinResource(s.dir, *k.w, deps_.notifier->base_url());
          if (with_content) {
            WB_ASSIGN_OR_RETURN(auto items,
                                s.tx.ListInteractionsInWorkbin(k.w->id));
            for (const auto& r : items)
              c.items.push_back(
                  {r.media_type, deps_.renderer->Resource(r, ViewFor(r, ""))});
          }
          out.push_back(std::move(c));
        }
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return out;
}

Result<WorkbinContent> WorkbinService::Get(const Principal& who,
                                           const std::string& workbin_id,
                                           bool with_content,
                                           const WorkbinAddress& at,
                                           const ContentQuery* query,
                                           const std::string& scope) {
  WorkbinContent out;
  Status st = InScope(
      who, TxKind::kRead, &workbin_id, at, [&](WorkbinScope& s) -> Status {
        out = WorkbinContent{};
        const storage::WorkbinRecord& w = *s.workbin;
        out.workbin = WorkbinResource(s.dir, w, deps_.notifier->base_url());
        if (query) {
          WB_ASSIGN_OR_RETURN(std::string secret,
                              s.tx.GetServerSecret("cursor"));
          WB_ASSIGN_OR_RETURN(
              auto page, ReadWorkbinPage(s.tx, w.id, *query, secret, scope));
          out.paged = true;
          out.total = page.total;
          out.next_cursor = std::move(page.next_cursor);
          out.counts = std::move(page.counts);
          for (const auto& r : page.items)
            out.items.push_back(
                {r.media_type, deps_.renderer->Resource(r, ViewFor(r, ""))});
        } else if (with_content) {
          WB_ASSIGN_OR_RETURN(auto items, s.tx.ListInteractionsInWorkbin(w.id));
          for (const auto& r : items)
            out.items.push_back(
                {r.media_type, deps_.renderer->Resource(r, ViewFor(r, ""))});
        }
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<int64_t>> WorkbinService::Subscribe(
    const Principal& who, const std::vector<std::string>& workbin_ids, bool on,
    const WorkbinAddress& at) {
  std::vector<int64_t> reference_ids;
  Status st =
      InScope(who, TxKind::kWrite, nullptr, at, [&](WorkbinScope& s) -> Status {
        reference_ids.clear();
        storage::WriteTx& tx = s.change->tx;
        const storage::UserRecord& me = s.me;
        // Every workbin is checked before anything changes: the first failing
        // id decides and nothing is subscribed.
        std::vector<const storage::WorkbinRecord*> workbins;
        for (const auto& id : workbin_ids) {
          WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                              FindAddressed(tx, s.dir, me, id, at));
          workbins.push_back(w);
        }
        WB_ASSIGN_OR_RETURN(int64_t held,
                            tx.CountWorkbinSubscriptionsOfUser(me.id));
        for (const auto* w : workbins) {
          if (on) {
            WB_ASSIGN_OR_RETURN(bool already,
                                tx.IsSubscribedToWorkbin(me.id, w->id));
            if (!already) {
              if (held >= kMaxSubscriptionsPerUser)
                return InvalidArgument(
                    "User '" + me.user_name + "' already holds " +
                    std::to_string(kMaxSubscriptionsPerUser) +
                    " workbin subscriptions");
              WB_RETURN_IF_ERROR(tx.PutWorkbinSubscription(
                  {me.id, w->id, s.dir.contact_center().id, s.now_ms}));
              ++held;
            }
          } else {
            WB_RETURN_IF_ERROR(tx.DeleteWorkbinSubscription(me.id, w->id));
          }
          WB_ASSIGN_OR_RETURN(int64_t reference_id, tx.NextReferenceId(me.id));
          reference_ids.push_back(reference_id);
          json::object data;
          data["messageType"] = "WorkbinSubscriptionStateChangeMessage";
          data["stateResource"] = on ? "Subscribed" : "Unsubscribed";
          data["id"] = w->id;
          if (!at.for_user_id.empty()) data["workbinUserId"] = at.for_user_id;
          if (w->owner_type == "AgentGroup" || w->owner_type == "PlaceGroup")
            AddWorkbinOwnerKey(s.dir, *w, "", &data);
          s.change->out->push_back(deps_.notifier->Make(
              s.dir, me.id, "workbins", std::move(data), me.id, reference_id));
        }
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_ids;
}

// Not through InScope: the user may be gone from the directory, and its
// subscriptions end all the same.
Status WorkbinService::EndSubscriptionsOf(const std::string& contact_center_id,
                                          const std::string& user_id) {
  return deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            deps_.directories->Get(tx, contact_center_id));
        WB_ASSIGN_OR_RETURN(auto ended,
                            tx.DeleteWorkbinSubscriptionsOfUser(user_id));
        for (const auto& id : ended) {
          const auto* w = dir->WorkbinById(id);
          storage::WorkbinRecord known = w ? *w : storage::WorkbinRecord{};
          known.id = id;
          out->push_back(deps_.notifier->Make(
              *dir, user_id, "workbins",
              SubscriptionStateMessage(*dir, known, false, "")));
        }
        return Status::Ok();
      });
}

}  // namespace workbind::domain
