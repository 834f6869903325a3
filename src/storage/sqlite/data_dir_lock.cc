#include "storage/sqlite/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace workbind::storage::sqlite {

std::string DataDirLock::PathIn(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "workbind.lock").string();
}

Result<DataDirLock> DataDirLock::Shared(const std::string& data_dir) {
  return Take(data_dir, false);
}

Result<DataDirLock> DataDirLock::Exclusive(const std::string& data_dir) {
  return Take(data_dir, true);
}

Result<DataDirLock> DataDirLock::Take(const std::string& data_dir,
                                      bool exclusive) {
  const std::string path = PathIn(data_dir);
  const Code failure = exclusive ? Code::kStorageCreate : Code::kStorageRead;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status(failure, "cannot open " + path + ": " + std::strerror(errno),
                  /*unavailable=*/true);
  }
  int rc;
  do {
    rc = ::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status(Code::kInUse,
                    exclusive ? "a workbind server is running on " + data_dir +
                                    " (it holds " + path + "); stop it first"
                              : "a restore is replacing the database in " +
                                    data_dir + " (it holds " + path + ")",
                    /*unavailable=*/true);
    }
    return Status(failure, "cannot lock " + path + ": " + std::strerror(err),
                  /*unavailable=*/true);
  }
  return DataDirLock(fd);
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

DataDirLock& DataDirLock::operator=(DataDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // drops the flock
}

namespace {

// Whether another process holds any POSIX lock on `path` (false when the
// file does not exist).
bool LockedElsewhere(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock probe {};
  probe.l_type = F_WRLCK;  // conflicts with every read or write lock
  probe.l_whence = SEEK_SET;
  probe.l_start = 0;
  probe.l_len = 0;  // the whole file, SQLite's lock bytes included
  const bool locked =
      ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
  ::close(fd);
  return locked;
}

}  // namespace

bool DatabaseOpenElsewhere(const std::string& db_path) {
  return LockedElsewhere(db_path + "-shm") || LockedElsewhere(db_path);
}

}  // namespace workbind::storage::sqlite
