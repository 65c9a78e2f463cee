// handle_table.h: the process's handle table. A handle names a slot and the slot's
// generation; a closed, stale or forged handle never reaches another object, even after
// its slot is reused (slots are reused in FIFO order, and the generation check runs
// under the object's lock, so a close racing a use is seen by one side or the other).
//
// Handle values are multiples of 4 below 2^31, as on Windows, so programs that keep a
// SOCKET or HANDLE in an int keep working: bits 2..22 are the slot index + 1, bits
// 23..30 the slot's generation (mod 256). Bits 0 and 1 are the program's to use and are
// ignored by every lookup, as Windows' object manager ignores them (OBJ_HANDLE_TAGBITS).
#pragma once

#include <cstdint>

#include <windows.h>

#include "kernel/object.h"

namespace overlapped::kernel {

// Pseudo handles, as Windows defines them.
inline HANDLE const kCurrentProcessHandle = reinterpret_cast<HANDLE>(static_cast<intptr_t>(-1));
inline HANDLE const kCurrentThreadHandle = reinterpret_cast<HANDLE>(static_cast<intptr_t>(-2));

// An access bit only the handle it was granted to has: DuplicateHandle does not copy it.
// Winsock's sockets carry it (a duplicated socket handle is a handle, but not a socket
// Winsock knows, as on Windows).
constexpr ACCESS_MASK kAccessNotDuplicated = 0x00008000;

// The access bit of a handle to a child's process object that stands for the child's
// primary thread (PROCESS_INFORMATION's hThread, OpenThread of its id): a lookup of a
// process (ObjectType::Process) refuses it with ERROR_INVALID_HANDLE, as Windows refuses a
// thread handle where a process handle is due, and the primary-thread functions
// (kernel/process.h) take only it. One of ACCESS_MASK's reserved bits, which no program
// asks for; DuplicateHandle keeps it.
constexpr ACCESS_MASK kAccessPrimaryThread = 0x04000000;

// The generic rights and MAXIMUM_ALLOWED in `access` as the rights of `type` they stand for,
// for events, semaphores, mutexes and timers (Windows' generic mappings of their types);
// other types' access comes back unchanged. handle_create applies it.
ACCESS_MASK map_generic_access(ObjectType type, ACCESS_MASK access);
// Every right an object of `type` has (EVENT_ALL_ACCESS...), for the types
// map_generic_access maps; 0 for the others.
ACCESS_MASK type_all_access(ObjectType type);

// Makes a handle for `object`, taking over one reference the caller holds. Returns
// nullptr with ERROR_NO_SYSTEM_RESOURCES-like failure (`*error` set) if the table is full;
// the reference is then released.
HANDLE handle_create(Object* object, ACCESS_MASK access, DWORD flags, DWORD* error);

// Makes the handle `value` for `object` (a child process rebuilding the handles it
// inherited, at the values its parent had: docs/processes.md), taking over one reference.
// ERROR_INVALID_HANDLE if `value` is not a handle value or that slot is open (the
// reference is then released).
DWORD handle_create_at(HANDLE value, Object* object, ACCESS_MASK access, DWORD flags);

// Calls `visit(handle, object, access, flags, context)` for every open handle whose flags
// have HANDLE_FLAG_INHERIT, with the object LOCKED (CreateProcess with bInheritHandles).
void handle_for_each_inheritable(void (*visit)(HANDLE handle, Object* object, ACCESS_MASK access, DWORD flags,
                                               void* context),
                                 void* context);

// Looks `handle` up and returns its object LOCKED, checked for type (`type`, or Any) and
// for every access bit in `required_access`. On failure returns nullptr with `*error`
// (ERROR_INVALID_HANDLE or ERROR_ACCESS_DENIED). Resolves the pseudo handles.
Object* handle_lock(HANDLE handle, ObjectType type, ACCESS_MASK required_access, DWORD* error);

// As handle_lock, but returns the object unlocked with a reference the caller releases.
Object* handle_reference(HANDLE handle, ObjectType type, ACCESS_MASK required_access, DWORD* error);

// As handle_lock / handle_reference, also storing the handle's granted access (one
// lookup where a caller needs both).
Object* handle_lock_granted(HANDLE handle, ObjectType type, ACCESS_MASK required_access, ACCESS_MASK* granted,
                            DWORD* error);
Object* handle_reference_granted(HANDLE handle, ObjectType type, ACCESS_MASK required_access, ACCESS_MASK* granted,
                                 DWORD* error);

// As handle_lock / handle_reference, but the handle needs at least one of the rights in
// `any_access` (ERROR_ACCESS_DENIED otherwise): Windows asks for "THREAD_QUERY_INFORMATION
// or THREAD_QUERY_LIMITED_INFORMATION" and the like.
Object* handle_lock_any(HANDLE handle, ObjectType type, ACCESS_MASK any_access, DWORD* error);
Object* handle_reference_any(HANDLE handle, ObjectType type, ACCESS_MASK any_access, DWORD* error);

// Closes `handle`. Returns ERROR_SUCCESS or ERROR_INVALID_HANDLE.
DWORD handle_close(HANDLE handle);

// Access mask and flags of a handle.
DWORD handle_get_flags(HANDLE handle, DWORD* flags);
DWORD handle_set_flags(HANDLE handle, DWORD mask, DWORD flags);
DWORD handle_get_access(HANDLE handle, ACCESS_MASK* access);

// Closes every open handle to an object of `type` (WSACleanup closes the process's
// sockets). Returns how many it closed.
uint32_t handle_close_all(ObjectType type);

// Number of open handles (for tests of leaks).
uint32_t handle_count_open();

// Handles another process makes for this one (DuplicateHandle into this process:
// drivers/handle_offer.cpp). They have slots of their own, numbered 0 .. kOfferedSlots-1,
// which this table never hands out: the other process names the handle without asking
// this one, and keeps the object on offer until this process first uses the value; the
// lookup of a value of such a slot that is not open asks offered_claim_hook to make the
// handle (handle_create_at), then looks again. offered_released_hook hears when one of
// these slots is closed. Both hooks are set by the driver, before any such handle exists.
constexpr uint32_t kOfferedSlots = 0x10000;
extern bool (*offered_claim_hook)(HANDLE handle);
extern void (*offered_released_hook)(uint32_t number);

// The handle value of offered slot `number` at `generation` (mod 256); nullptr past the
// last slot.
HANDLE handle_offered_value(uint32_t number, uint32_t generation);

// Whether `handle` names an offered slot, and which.
bool handle_offered_number(HANDLE handle, uint32_t* number);

// Whether `handle` is open now (no claim is made for an offered value).
bool handle_is_open(HANDLE handle);

}  // namespace overlapped::kernel
