#include "net/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cctype>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "common/log.h"
#include "net/connection_registry.h"
#include "net/http_session.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// After accept fails for lack of resources (file descriptors, memory) we wait
// this long before trying again instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay(100);
// After the grace period every connection is closed; this bounds the wait for
// their handlers to run (so that OnClose is delivered) before the I/O stops.
constexpr std::chrono::seconds kForceCloseWait(2);

struct HostPort {
  std::string host;
  std::string port;
};

// Splits "host:port", "[v6]:port" or ":port". Returns nullopt when malformed.
std::optional<HostPort> SplitHostPort(const std::string& text) {
  HostPort out;
  size_t port_start;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return std::nullopt;
    }
    out.host = text.substr(1, close - 1);
    port_start = close + 2;
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    out.host = text.substr(0, colon);
    if (out.host.find(':') != std::string::npos) return std::nullopt;
    port_start = colon + 1;
  }
  out.port = text.substr(port_start);
  if (out.port.empty() || out.port.size() > 5 ||
      !std::all_of(out.port.begin(), out.port.end(),
                   [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoi(out.port) > 65535) {
    return std::nullopt;
  }
  return out;
}

bool IsResourceShortage(const error_code& ec) {
  return ec == asio::error::no_descriptors ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerLimits limits, TransportReplies replies, RequestHandler* handler,
       int io_threads)
      : context(std::make_shared<SessionContext>(limits, std::move(replies),
                                                 handler)),
        thread_count(io_threads > 0
                         ? io_threads
                         : static_cast<int>(std::max(
                               1u, std::thread::hardware_concurrency()))),
        ioc(thread_count),
        acceptor_strand(asio::make_strand(ioc)),
        acceptor(acceptor_strand),
        accept_retry_timer(acceptor_strand) {}

  Status Listen(const std::string& host_port);
  void Start();
  void Drain(int grace_seconds);
  void Stop(int grace_seconds);
  // Acceptor strand only.
  void DoAccept();
  void OnAccept(error_code ec, tcp::socket socket);
  void RunThread();

  // Declared first: outlives the io_context, whose destruction may destroy
  // sessions that reference it.
  const std::shared_ptr<SessionContext> context;
  const int thread_count;
  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> acceptor_strand;
  tcp::acceptor acceptor;  // used on acceptor_strand once started
  asio::steady_timer accept_retry_timer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work;
  std::vector<std::thread> threads;

  std::mutex lifecycle_mu;  // serializes Listen, Start and Stop
  bool listening = false;
  bool started = false;
  bool drained = false;
  bool stopped = false;
  std::atomic<int> port{0};
  // HTTPS when set (fixed before Start); the context may be replaced.
  std::atomic<bool> tls_enabled{false};
  std::mutex tls_mu;
  std::shared_ptr<TlsContext> tls;  // guarded by tls_mu
};

Status HttpServer::Impl::Listen(const std::string& host_port) {
  std::lock_guard lock(lifecycle_mu);
  if (stopped) return Status(Code::kInternal, "server stopped");
  if (listening) return InvalidArgument("server already listening");
  const std::optional<HostPort> parts = SplitHostPort(host_port);
  if (!parts) {
    return InvalidArgument("malformed listen address '" + host_port +
                           "' (expected host:port)");
  }
  tcp::endpoint endpoint;
  error_code ec;
  const unsigned short port_number =
      static_cast<unsigned short>(std::stoi(parts->port));
  if (parts->host.empty() || parts->host == "*") {
    endpoint = tcp::endpoint(tcp::v4(), port_number);
  } else if (auto address = asio::ip::make_address(parts->host, ec); !ec) {
    endpoint = tcp::endpoint(address, port_number);
  } else {
    tcp::resolver resolver(ioc);
    auto results =
        resolver.resolve(parts->host, parts->port, tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      return InvalidArgument("cannot resolve listen host '" + parts->host +
                             "'");
    }
    endpoint = results.begin()->endpoint();
  }

  auto fail = [&](const char* step) {
    error_code ignored;
    acceptor.close(ignored);
    return Status(Code::kInternal,
                  std::string("cannot listen on ") + host_port + ": " + step +
                      ": " + ec.message(),
                  /*unavailable=*/true);
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  port = acceptor.local_endpoint(ec).port();
  listening = true;
  log::Info("listening on {}:{}", endpoint.address().to_string(), port.load());
  if (started) asio::post(acceptor_strand, [this] { DoAccept(); });
  return Status::Ok();
}

void HttpServer::Impl::Start() {
  std::lock_guard lock(lifecycle_mu);
  if (started || stopped) return;
  started = true;
  work.emplace(ioc.get_executor());
  if (listening) asio::post(acceptor_strand, [this] { DoAccept(); });
  threads.reserve(thread_count);
  for (int i = 0; i < thread_count; ++i) {
    threads.emplace_back([this] { RunThread(); });
  }
}

void HttpServer::Impl::RunThread() {
  // Handlers catch their own exceptions; this is the last line of defence so
  // that a thread never dies while the server runs.
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log::Error("I/O thread: unexpected exception: {}", e.what());
    } catch (...) {
      log::Error("I/O thread: unexpected exception");
    }
  }
}

void HttpServer::Impl::DoAccept() {
  if (!acceptor.is_open()) return;
  acceptor.async_accept(asio::make_strand(ioc),
                        [this](error_code ec, tcp::socket socket) {
                          OnAccept(ec, std::move(socket));
                        });
}

void HttpServer::Impl::OnAccept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    log::Warn("accept failed: {}", ec.message());
    if (IsResourceShortage(ec)) {
      accept_retry_timer.expires_after(kAcceptRetryDelay);
      accept_retry_timer.async_wait([this](error_code timer_ec) {
        if (!timer_ec) DoAccept();
      });
      return;
    }
  } else if (context->registry.size() >=
             static_cast<size_t>(
                 std::max(0, context->limits.max_connections))) {
    log::Debug("connection limit ({}) reached; closing a new connection",
               context->limits.max_connections);
    error_code ignored;
    socket.close(ignored);
  } else if (tls_enabled.load(std::memory_order_relaxed)) {
    std::shared_ptr<TlsContext> current;
    {
      std::lock_guard lock(tls_mu);
      current = tls;
    }
    StartHttpsSession(std::move(socket), context, std::move(current));
  } else {
    StartHttpSession(std::move(socket), context);
  }
  DoAccept();
}

void HttpServer::Impl::Drain(int grace_seconds) {
  std::lock_guard lock(lifecycle_mu);
  if (drained || stopped) return;
  drained = true;
  if (!started) {
    error_code ignored;
    acceptor.close(ignored);
    return;
  }
  // The acceptor lives on its strand. A connection accepted just before the
  // close is either drained below or refused by the registry.
  std::promise<void> closed;
  asio::post(acceptor_strand, [this, &closed] {
    error_code ignored;
    acceptor.close(ignored);
    accept_retry_timer.cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  const auto grace_end = std::chrono::steady_clock::now() +
                         std::chrono::seconds(std::max(0, grace_seconds));
  context->registry.DrainAll();
  if (!context->registry.WaitEmpty(grace_end)) {
    log::Info("closing {} connection(s) still open after the grace period",
              context->registry.size());
    context->registry.ForceCloseAll();
    context->registry.WaitEmpty(std::chrono::steady_clock::now() +
                                kForceCloseWait);
  }
}

void HttpServer::Impl::Stop(int grace_seconds) {
  Drain(grace_seconds);
  std::lock_guard lock(lifecycle_mu);
  if (stopped) return;
  stopped = true;
  if (!started) return;
  work.reset();
  ioc.stop();
  for (auto& thread : threads) thread.join();
  threads.clear();
}

// ---- HttpServer ----

HttpServer::HttpServer(ServerLimits limits, TransportReplies replies,
                       RequestHandler* handler, int io_threads)
    : impl_(std::make_unique<Impl>(limits, std::move(replies), handler,
                                   io_threads)),
      io_executor_(impl_.get()) {}

HttpServer::~HttpServer() {
  impl_->Stop(0);
  // From here on Responders and WebSocketConnection handles held elsewhere
  // no longer post to the io_context, which is destroyed with impl_.
  impl_->context->gate.Close();
}

Status HttpServer::Listen(const std::string& host_port) {
  return impl_->Listen(host_port);
}

int HttpServer::port() const { return impl_->port.load(); }

void HttpServer::UseTls(std::shared_ptr<TlsContext> tls) {
  if (!tls) return;
  std::lock_guard lock(impl_->tls_mu);
  impl_->tls = std::move(tls);
  impl_->tls_enabled.store(true, std::memory_order_relaxed);
}

void HttpServer::Start() { impl_->Start(); }

void HttpServer::Drain(int grace_seconds) { impl_->Drain(grace_seconds); }

void HttpServer::Stop(int grace_seconds) { impl_->Stop(grace_seconds); }

void HttpServer::IoExecutor::Post(std::function<void()> task) {
  Impl* impl = impl_;
  impl->context->gate.Run([&] { asio::post(impl->ioc, std::move(task)); });
}

size_t HttpServer::connection_count() const {
  return impl_->context->registry.size();
}

}  // namespace workbind::net
