// handle_offer.h: DuplicateHandle into another process built on this library.
//
// Windows puts the new handle into the target's handle table at once and returns its
// value, which the program then tells the target by some means of its own. A Linux
// process cannot write into another's table, so the source names the handle and keeps
// the object on offer until the target first uses that value:
//
//   - The value is one of the target's offered slots (kernel::kOfferedSlots, which the
//     target never hands out itself), the lowest number no other offer or open handle of
//     the target holds: the source binds the listening socket of its offer to the
//     abstract name "\0overlapped-handle-<uid>-<target pid>-<number>" (taken: the next
//     number), with a generation of its own choosing.
//   - A thread of the source serves the offer (drivers/peer.h): to a connection from the
//     target process of the same user that asks for exactly that value, it hands the
//     object as a child inherits one (drivers/inherit.h: its descriptor and one word, the
//     access and flags, and its second descriptor if it has one) and, beside it, the bound
//     listening socket itself; then it ends.
//     It also ends when the target exits.
//   - In the target, the first lookup of a value of an offered slot that is not open
//     (kernel::offered_claim_hook) connects to that name, rebuilds the object and makes
//     the handle at that value (kernel::handle_create_at). The listening socket stays
//     bound in the target while the handle is open, so no other offer takes its number;
//     closing the handle (kernel::offered_released_hook) lets it go.
//
// Only objects that can cross into a child can cross here (files, the console, NUL, pipe
// ends, connected stream sockets). The offer lives as long as the source process: a
// target that first uses the value after its source has exited finds no handle there.
#pragma once

#include <sys/types.h>

#include <windows.h>

#include "kernel/object.h"

namespace overlapped::drivers {

// Offers `object` (one reference, taken over) to process `target` (not this one) as a
// handle with `access` and `flags` (HANDLE_FLAG_INHERIT). ERROR_SUCCESS and the value the
// handle has in the target, or: ERROR_CALL_NOT_IMPLEMENTED for an object that cannot
// cross into another process; ERROR_ACCESS_DENIED when the target has exited;
// ERROR_NO_SYSTEM_RESOURCES when no offer can be made (descriptors, threads, numbers).
DWORD offer_handle(kernel::Object* object, pid_t target, ACCESS_MASK access, DWORD flags, HANDLE* value);

// In a child that rebuilt an inherited handle at `value`: if it is an offered slot, keeps
// that number for it (as a claimed offer does).
void keep_offered_number(HANDLE value);

// Handles taken out of another process (DuplicateHandle with that process as the source)
// need that process's help: a thread of its own answers such requests on the abstract
// name "\0overlapped-pull-<uid>-<pid>", for processes of the same user. It is started,
// once, by serve_handle_requests(), which CreateProcess calls: a child can take handles
// out of its parent, the process programs take them from.
void serve_handle_requests();

// DuplicateHandle out of process `source` into this one: its handle `value`, with
// `access` (or the handle's own, with DUPLICATE_SAME_ACCESS in `options`); the source
// handle is closed there with DUPLICATE_CLOSE_SOURCE. ERROR_SUCCESS with *object (one
// reference, a new object over the same descriptor, as inherited) and *granted; or
// ERROR_INVALID_HANDLE (no such handle there), ERROR_CALL_NOT_IMPLEMENTED (an object that
// cannot cross, or a source that answers no requests: not built on the library, or it
// never started a child), ERROR_NO_SYSTEM_RESOURCES.
DWORD take_handle(pid_t source, HANDLE value, ACCESS_MASK access, DWORD options, kernel::Object** object,
                  ACCESS_MASK* granted);

}  // namespace overlapped::drivers
