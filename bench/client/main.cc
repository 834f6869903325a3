// workbind-bench: the load client of the benchmarks in bench/ (see
// docs/performance.md). One subcommand per benchmark; each prints its
// configuration, its figures and a final "RESULT ..." line, and exits 0
// when it ran (goals are reported by bench/run, never enforced here).
#include <CLI/CLI.hpp>
#include <map>

#include "basic_auth.h"
#include "fanout.h"
#include "idle_sessions.h"
#include "rest_ops.h"

namespace {

using namespace workbind::bench;

struct Target {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string user, password;

  void AddTo(CLI::App* cmd) {
    cmd->add_option("--host", host, "server address (127.0.0.0/8)");
    cmd->add_option("--port", port, "server port")->required();
    cmd->add_option("--user", user, "user for Basic authentication");
    cmd->add_option("--password", password, "its password");
  }
  Endpoint endpoint() const { return {host, port, ""}; }
  std::string authorization() const {
    return user.empty() ? std::string() : BasicAuthorization(user, password);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"workbind benchmark load client"};
  app.require_subcommand(1);

  Target fan_target;
  FanoutOptions fan;
  auto* fanout = app.add_subcommand("fanout", "Bayeux fan-out (rooms)");
  fan_target.AddTo(fanout);
  fanout->add_option("--label", fan.label, "name in the RESULT line");
  fanout->add_option("--path", fan.path, "Bayeux endpoint path");
  fanout->add_option("--clients", fan.clients);
  fanout->add_option("--rooms", fan.rooms);
  fanout->add_option("--rooms-per-client", fan.rooms_per_client);
  fanout->add_option("--publishers", fan.publishers);
  fanout->add_option("--batch", fan.batch);
  fanout->add_option("--message-bytes", fan.message_bytes);
  fanout->add_option("--rates", fan.rates, "published messages/s of each step")
      ->delimiter(',');
  fanout->add_option("--step-seconds", fan.step_seconds);
  fanout->add_option("--drain-seconds", fan.drain_seconds);
  fanout->add_option("--saturation-p99-ms", fan.saturation_p99_ms,
                     "a step is sustained when p99 is at most this");
  fanout->add_option("--goal-p99-ms", fan.goal_p99_ms,
                     "steps with p99 at most this are reported apart");
  fanout->add_option("--server-pid", fan.server_pid,
                     "report this process's CPU use per step");
  fanout->add_option("--sources", fan.sources,
                     "source addresses 127.0.0.1..127.0.0.N");
  const std::map<std::string, BayeuxTransport> transports{
      {"long-polling", BayeuxTransport::kLongPolling},
      {"websocket", BayeuxTransport::kWebSocket}};
  fanout->add_option("--transport", fan.transport, "long-polling|websocket")
      ->transform(CLI::CheckedTransformer(transports));

  Target rest_target;
  RestOptions rest;
  auto* rest_cmd = app.add_subcommand("rest", "REST workbin operations");
  rest_target.AddTo(rest_cmd);
  rest_cmd->add_option("--agents", rest.agents);
  rest_cmd->add_option("--agent-prefix", rest.agent_prefix,
                       "agents are <prefix>1 .. <prefix>N");
  rest_cmd->add_option("--agent-password", rest.agent_password);
  rest_cmd->add_option("--items", rest.items, "items in each workbin");
  rest_cmd->add_option("--seconds", rest.seconds, "length of each phase");
  rest_cmd->add_option("--notify-rate", rest.notify_rate,
                       "operations/s of the notification latency phase "
                       "(0: skip it)");
  rest_cmd->add_option("--notify-seconds", rest.notify_seconds);
  rest_cmd->add_option("--server-pid", rest.server_pid,
                       "report this process's (and its children's) CPU time "
                       "and context switches per request of each phase");
  rest_cmd->add_flag("--only-version", rest.only_version,
                     "only the version-route phase, without logins (a "
                     "reference server answering that route)");
  rest_cmd->add_option("--label", rest.label,
                       "name of the server in the RESULT line of "
                       "--only-version");
  std::vector<uint16_t> more_ports;
  rest_cmd
      ->add_option("--also-port", more_ports,
                   "ports of more nodes sharing the database (agents are "
                   "spread over all nodes)")
      ->delimiter(',');

  Target idle_target;
  IdleOptions idle;
  auto* idle_cmd = app.add_subcommand("idle", "idle long-poll sessions");
  idle_target.AddTo(idle_cmd);
  idle_cmd->add_option("--sessions", idle.sessions);
  idle_cmd->add_option("--server-pid", idle.server_pid)->required();
  idle_cmd->add_option("--sources", idle.sources,
                       "source addresses 127.0.0.1..127.0.0.N");
  idle_cmd->add_option("--settle-seconds", idle.settle_seconds);
  idle_cmd->add_option("--transport", idle.transport, "long-polling|websocket")
      ->transform(CLI::CheckedTransformer(transports));

  CLI11_PARSE(app, argc, argv);
  if (fanout->parsed()) {
    fan.endpoint = fan_target.endpoint();
    fan.authorization = fan_target.authorization();
    return RunFanout(fan);
  }
  if (rest_cmd->parsed()) {
    rest.endpoint = rest_target.endpoint();
    for (uint16_t p : more_ports)
      rest.more_endpoints.push_back({rest.endpoint.host, p, ""});
    return RunRest(rest);
  }
  idle.endpoint = idle_target.endpoint();
  idle.authorization = idle_target.authorization();
  return RunIdle(idle);
}
