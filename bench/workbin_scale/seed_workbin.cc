// seed_workbin: fills one workbin of a stopped workbind's SQLite database
// with N workitems, in transactions of 10,000, for the workbin scale
// benchmark (bench/workbin_scale.mjs). Usage:
//   seed_workbin <data dir> <workbin id> <contact center id> <count>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/open_store.h"

int main(int argc, char** argv) {
  using namespace workbind;
  if (argc != 5) {
    std::fprintf(stderr,
                 "usage: seed_workbin <data dir> <workbin id> <contact center "
                 "id> <count>\n");
    return 2;
  }
  storage::StoreOptions options;
  options.data_dir = argv[1];
  const std::string workbin = argv[2], cc = argv[3];
  const long count = std::atol(argv[4]);
  auto store = storage::OpenStore(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  const int64_t base_ms = 1700000000000;
  for (long done = 0; done < count;) {
    const long batch = std::min<long>(10000, count - done);
    Status st = (*store)->Write([&](storage::WriteTx& tx) -> Status {
      for (long i = done; i < done + batch; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "S%015ld", i);
        storage::InteractionRecord r;
        r.id = id;
        r.contact_center_id = cc;
        r.media_type = i % 10 == 0 ? "email" : "workitem";
        r.state = "InWorkbin";
        r.working_state = "Processing";
        r.direction = "Inbound";
        r.workbin_id = workbin;
        r.received_ms = base_ms + i * 7;
        r.workbin_entered_ms = r.received_ms;
        r.user_data = "{\"InteractionId\":\"" + std::string(id) +
                      "\",\"Priority\":" + std::to_string(i % 5) + "}";
        WB_RETURN_IF_ERROR(tx.InsertInteraction(r));
      }
      return Status::Ok();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "insert failed: %s\n", st.message().c_str());
      return 1;
    }
    done += batch;
  }
  (*store)->Close();
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("seeded %ld items in %.1f s\n", count, s);
  return 0;
}
