// StaticFiles: serves the web console's built files from one folder
// (settings web.root; conventions.md §1.1). Every GET or HEAD whose path is
// not under /api/ and is not /metrics, /healthz or /readyz is answered from
// the folder: "/" names index.html, a path without a file extension that
// names no file gets index.html (the console's own routes), a missing file
// with an extension gets 404 statusCode 6. Files under assets/ (hashed by the
// bundler) are cacheable for a year; every other file is revalidated
// (no-cache, with an ETag). Nothing outside the folder can be reached: '.'
// and '..' segments, encoded '/', backslashes, empty segments and dot-files
// match nothing, and a file is served only when its location with symbolic
// links resolved lies inside the folder. Reads the disk on the calling
// thread (call it on a worker). Thread-safe (no mutable state).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_message.h"

namespace workbind::app {

class StaticFiles {
 public:
  // `root` may be relative (to the working directory) and may not exist
  // yet: it is looked up on every request, so a console built after the
  // start is served.
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}

  // The default web.root: the web/dist folder next to the running binary.
  static std::string DefaultRoot();

  // True for the paths that belong to the static files: not /api or under
  // /api/, and not /metrics, /healthz or /readyz. `path` is the encoded path
  // without the query string.
  static bool IsStaticPath(std::string_view path);

  // The Content-Type of a file name, from its extension; unknown extensions
  // give application/octet-stream.
  static std::string ContentTypeOf(std::string_view file_name);

  // The canonical location of the regular file that the decoded path
  // segments name inside the root, or nullopt when there is none or the
  // segments are not allowed (see the class comment). No segments names
  // index.html.
  std::optional<std::filesystem::path> Resolve(
      const std::vector<std::string>& segments) const;

  // True when the root holds an index.html (the console is installed).
  bool Available() const;

  // The reply to a request on a static path (IsStaticPath), or nullopt when
  // the root holds no index.html: the caller then answers as for an unknown
  // route.
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

  const std::string& root() const { return root_; }

 private:
  HttpResponse FileReply(const HttpRequest& request,
                         const std::filesystem::path& file,
                         bool immutable) const;

  std::string root_;
};

}  // namespace workbind::app
