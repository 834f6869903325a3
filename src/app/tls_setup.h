// The server's TLS set-up from its settings (server.tls.*): loads the
// certificate and key files and words a refusal as a settings line naming the
// setting at fault, e.g. "settings: /server/tls/privateKeyFile: does not
// match /server/tls/certificateFile". Used at start (exit status 2) and on
// SIGHUP (the line is logged and the current certificate kept).
#pragma once

#include <memory>
#include <string>

#include "app/settings.h"
#include "net/tls_context.h"

namespace workbind::app {

struct TlsSetup {
  std::shared_ptr<net::TlsContext> context;  // null: no TLS, or `problem`
  std::string problem;                       // empty when loaded
};

// True when the settings ask for TLS.
bool TlsEnabled(const Settings& settings);
// Loads the files named by the settings (blocking file I/O, any thread).
// Without TLS returns an empty TlsSetup.
TlsSetup LoadServerTls(const Settings& settings);

}  // namespace workbind::app
