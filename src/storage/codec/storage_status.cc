#include "storage/codec/storage_status.h"

namespace workbind::storage::codec {

std::string StorageMessage(Code code) {
  switch (code) {
    case Code::kStorageCreate:
      return "Unable to create resource";
    case Code::kStorageDelete:
      return "Unable to delete resource";
    case Code::kStorageUpdate:
      return "Unable to update resource";
    case Code::kStorageAssign:
      return "Unable to assign resource";
    case Code::kStorageUnassign:
      return "Unable to unassign resource";
    default:
      return "Unable to retrieve resource";
  }
}

Status StorageError(Code code, bool unavailable) {
  return Status(code, StorageMessage(code), unavailable);
}

}  // namespace workbind::storage::codec
