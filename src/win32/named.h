// named.h: the names of kernel objects for their Create/Open functions (events,
// semaphores, mutexes, timers, file mappings): one per-process namespace
// (kernel/names.h).
#pragma once

#include <functional>
#include <string>

#include <windows.h>

#include "kernel/object.h"

namespace overlapped::win32 {

struct Name {
    bool present = false;
    bool empty = false;  // "" rather than NULL (neither is present)
    std::string text;
    DWORD handle_flags = 0;  // HANDLE_FLAG_INHERIT from the creator's SECURITY_ATTRIBUTES
    // What the A functions' conversion of the name refuses before anything else is looked
    // at: Windows converts it into the thread's static buffer of MAX_PATH + 1 characters,
    // so a longer name fails with ERROR_FILENAME_EXCED_RANGE (the W functions take it).
    DWORD error = ERROR_SUCCESS;
};

Name name_from(LPCSTR name);
Name name_from(LPCWSTR name);
// A creator's name and whether its handle is inheritable.
Name name_from(LPCSTR name, const SECURITY_ATTRIBUTES* attributes);
Name name_from(LPCWSTR name, const SECURITY_ATTRIBUTES* attributes);

// Creates an object (`make`), or opens the existing one of the same name and type (last
// error ERROR_ALREADY_EXISTS). Another type under the name gives ERROR_INVALID_HANDLE.
// Both fail first with `name.error`.
HANDLE create_object(const Name& name, kernel::ObjectType type, ACCESS_MASK access,
                     const std::function<kernel::Object*()>& make);

// Opens the object of `type` named `name`: ERROR_FILE_NOT_FOUND when there is none,
// ERROR_INVALID_HANDLE when the name is another type's, ERROR_ACCESS_DENIED for access 0.
HANDLE open_object(const Name& name, kernel::ObjectType type, ACCESS_MASK access, BOOL inherit);

}  // namespace overlapped::win32
