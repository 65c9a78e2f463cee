// shared_section.h: the memory behind a named section backed by the paging file
// (CreateFileMapping(INVALID_HANDLE_VALUE, ..., name)), shared with the other processes
// of the user that use the name.
//
// The memory is a file in the per-user namespace directory (namespace.h), next to the
// pipes' and mailslots' entries. Every process that has the section holds a shared flock
// on it for as long as its descriptor is open; a file nobody holds is what is left of a
// section whose last handle has gone (Windows deletes a section's name then; its views
// keep its memory): the next creator starts a new file in its place, an opener finds no
// such section. Views map their own open of the file, without the lock (mapping.cpp). Creation and opening take the
// directory's lock, so the two never meet half way.
#pragma once

#include <cstdint>
#include <string>

#include <windows.h>

namespace overlapped::drivers {

// The section named `name` (already normalised): created with `size` bytes of zeros, or
// the one that exists (*existed: its own size in *actual). ERROR_SUCCESS and a descriptor
// (holding the shared lock), or the namespace's error.
DWORD shared_section_create(const std::string& name, uint64_t size, int* fd, uint64_t* actual, bool* existed);

// The existing section named `name`: ERROR_FILE_NOT_FOUND when there is none (or none
// that anyone still has).
DWORD shared_section_open(const std::string& name, int* fd, uint64_t* size);

}  // namespace overlapped::drivers
