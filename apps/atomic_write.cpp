#include "atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace govsim::cli {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  auto reason = [&](const std::string& p, int err) { return p + ": " + std::strerror(err); };
  std::error_code ec;
  if (fs::is_directory(path, ec)) return path + ": is a directory";
  // a special file (/dev/stdout, /dev/null, a pipe) cannot be replaced: write it in place
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) return reason(path, errno);
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        const int e = errno;
        ::close(fd);
        return reason(path, e);
      }
      done += static_cast<std::size_t>(w);
    }
    if (::close(fd) != 0) return reason(path, errno);
    return "";
  }
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string base = ".";  // hidden temporary file beside the target
  base += target.filename().string();
  base += ".tmp-XXXXXX";
  std::string tmpl = (folder / base).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return reason(path, errno);
  const std::string tmp(name.data());
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return reason(path, err);
  };
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) return fail(errno);
  // keep the permissions an existing file had; new files get 0666 minus the umask as fopen would
  mode_t mode = 0666;
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  if (::fchmod(fd, mode) != 0) return fail(errno);
  struct stat written {};
  if (::fstat(fd, &written) != 0) return fail(errno);
  if (static_cast<std::size_t>(written.st_size) != text.size()) return fail(EIO);
  if (::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return reason(path, e);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return reason(path, e);
  }
  return "";
}

}  // namespace govsim::cli
