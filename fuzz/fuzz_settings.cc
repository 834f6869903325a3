// Fuzz target: the settings file loader (ParseSettingsJson): every section,
// including the notifications settings of the CometD endpoint, validated
// against the defaults; then the rendering of the result (SettingsToJson,
// what `workbind config show` prints).
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  workbind::app::Settings settings;
  (void)workbind::app::ParseSettingsJson(text, &settings);
  (void)workbind::app::SettingsToJson(settings);
  return 0;
}
