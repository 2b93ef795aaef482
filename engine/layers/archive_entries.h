#pragma once
// Reading a layer tar's entries with libarchive, and carrying extended attributes across.
#include <archive.h>
#include <archive_entry.h>
#include <time.h>

#include <string>
#include <string_view>

namespace envbuilder::layers {

timespec mtime_of(archive_entry* entry);
std::string error_of(archive* a);
// Names as the archive has them. Should the locale still reject one (no C.UTF-8 on the system),
// the UTF-8 form is the same bytes.
std::string pathname_of(archive_entry* entry);
const char* hardlink_of(archive_entry* entry);
const char* symlink_of(archive_entry* entry);
bool starts_with(std::string_view text, std::string_view prefix);
// Copies extended attributes (file capabilities, ACLs, user.*) from one path to another,
// never overlayfs's own.
void copy_attributes(const std::string& from, const std::string& to);

}  // namespace envbuilder::layers
