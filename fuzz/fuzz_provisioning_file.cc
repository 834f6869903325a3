// Fuzz target: the provisioning file's first pass (ParseProvisioningFile):
// JSON syntax, structure, keys, types, formats, enum values and duplicates,
// with every problem rendered as its report line. The second pass (references
// and the upsert) needs a store and is covered by the unit and functional
// tests.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/provisioning/provisioning_file_schema.h"
#include "domain/provisioning/provisioning_issues.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  workbind::domain::ProvisioningIssues issues;
  (void)workbind::domain::ParseProvisioningFile(text, &issues);
  (void)issues.Lines();
  (void)issues.FirstStatus();
  return 0;
}
