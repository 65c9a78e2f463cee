// names.h: the process's object namespace (named events, semaphores, mutexes, timers).
// One namespace for all types, as on Windows.
#pragma once

#include <string>

#include "kernel/object.h"

namespace overlapped::kernel {

// Looks up `name`; returns the object with a new reference, or nullptr.
Object* names_find(const std::string& name);

// Inserts `object` under its name unless the name is taken; returns the existing object
// with a new reference in that case, else nullptr (inserted).
Object* names_insert_or_find(Object* object);

// Removes `object`'s name if it still maps to `object`.
void names_remove(Object* object);

// Removes `object`'s name if it still maps to `object` and the object has no handle open:
// on Windows a name lasts as long as a handle to its object, not as long as the object
// (an owned mutex, a wait in progress or a mapped view keeps the object, not its name).
// Called once the last handle is closed; takes the object's lock under the namespace's.
void names_remove_unused(Object* object);

// Normalises a Win32 object name: strips "Global\" and "Local\". Returns ERROR_SUCCESS, or
// the error of a name Windows rejects: a leading backslash ERROR_BAD_PATHNAME, another
// backslash ERROR_PATH_NOT_FOUND, nothing after the prefix ERROR_INVALID_NAME (the name of
// the namespace's directory, with a separator at its end, is not an object's).
DWORD names_normalise(std::string* name);

}  // namespace overlapped::kernel
