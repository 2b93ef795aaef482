#include "layers/archive_entries.h"

#include <sys/xattr.h>

#include <cerrno>

#include "layers/confined_root.h"

namespace envbuilder::layers {

timespec mtime_of(archive_entry* entry) {
    timespec t{};
    t.tv_sec = archive_entry_mtime(entry);
    t.tv_nsec = archive_entry_mtime_is_set(entry) ? archive_entry_mtime_nsec(entry) : 0;
    return t;
}

std::string error_of(archive* a) {
    const char* message = archive_error_string(a);
    return message ? message : "unknown error";
}

std::string pathname_of(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    if (!name) name = archive_entry_pathname_utf8(entry);
    return name ? name : "";
}
const char* hardlink_of(archive_entry* entry) {
    const char* name = archive_entry_hardlink(entry);
    return name ? name : archive_entry_hardlink_utf8(entry);
}
const char* symlink_of(archive_entry* entry) {
    const char* target = archive_entry_symlink(entry);
    return target ? target : archive_entry_symlink_utf8(entry);
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

void copy_attributes(const std::string& from, const std::string& to) {
    ssize_t size = ::llistxattr(from.c_str(), nullptr, 0);
    if (size <= 0) return;
    std::string names(static_cast<size_t>(size), '\0');
    size = ::llistxattr(from.c_str(), names.data(), names.size());
    if (size <= 0) return;
    names.resize(static_cast<size_t>(size));
    for (size_t start = 0; start < names.size();) {
        size_t end = names.find('\0', start);
        if (end == std::string::npos) end = names.size();
        const std::string name = names.substr(start, end - start);
        start = end + 1;
        if (name.empty() || starts_with(name, "trusted.overlay.") ||
            starts_with(name, "user.overlay."))
            continue;
        ssize_t length = ::lgetxattr(from.c_str(), name.c_str(), nullptr, 0);
        if (length < 0) continue;
        std::string value(static_cast<size_t>(length), '\0');
        length = ::lgetxattr(from.c_str(), name.c_str(), value.data(), value.size());
        if (length < 0) continue;
        if (::lsetxattr(to.c_str(), name.c_str(), value.data(), static_cast<size_t>(length), 0) !=
                0 &&
            errno != ENOTSUP && errno != EPERM)
            throw_errno("cannot copy extended attribute " + name, errno);
    }
}

}  // namespace envbuilder::layers
