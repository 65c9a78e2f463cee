// inherit.h: how a handle crosses into a child process built on this library
// (docs/processes.md). Each kind of object that can cross (files, the console and NUL as
// files, pipe ends, sockets) registers how it is exported -- the descriptor the child
// gets and one word of its own, and optionally a second descriptor with a word -- and how
// the child rebuilds an object from them. The child makes the handle at the value the
// parent had (kernel::handle_create_at). DuplicateHandle into and out of another process
// uses the same functions (drivers/handle_offer.h).
#pragma once

#include <cstdint>

#include <windows.h>

#include "kernel/object.h"

#define OVERLAPPED_INHERIT_EARLY __attribute__((init_priority(1000)))

namespace overlapped::drivers {

struct InheritKind {
    // Under the object's lock: the descriptor that carries the object (the child gets a
    // duplicate of it) and a word the kind's import reads; false if it cannot cross.
    bool (*export_object)(kernel::Object* object, int* descriptor, uint32_t* extra);
    // In the child, at start-up: a new object (one reference) over `descriptor` (taken
    // over) for a handle with `access`; nullptr with *error when it cannot be rebuilt.
    kernel::Object* (*import_object)(int descriptor, uint32_t extra, ACCESS_MASK access, DWORD* error);
    // Optional (null: the kind has none): under the object's lock, a second descriptor
    // that travels beside the first (or -1: none), and a word of its own; false when
    // there is neither for this object. A named pipe's end passes its disconnection page
    // this way; a socket, with no descriptor, a setting that does not fit in `extra`.
    bool (*export_aux)(kernel::Object* object, int* descriptor, uint32_t* word) = nullptr;
    // In the child, right after import_object, whenever the kind has export_aux: gives the
    // object the second descriptor (taken over: closed here or kept by the object; -1
    // when none arrived) and the word (0 when export_aux said false).
    void (*import_aux)(kernel::Object* object, int descriptor, uint32_t word) = nullptr;
};

// Under `object`'s lock: duplicates (from 3 up, close-on-exec; the caller closes them) of
// the descriptor `object` crosses with, in *descriptor, and of its kind's second one, in
// *aux (unless `aux` is null: not wanted), with their words. False when the object cannot
// cross. *descriptor is -1 when its duplicate failed (nothing else is then made); *aux is
// -1 when the kind passes none (*aux_word 0) or its duplicate failed (*aux_failed).
bool inherit_duplicate(const InheritKind* kind, kernel::Object* object, int* descriptor, uint32_t* extra, int* aux,
                       uint32_t* aux_word, bool* aux_failed);

// In the other process (a child's start-up, a claimed offer, a pulled handle): an object
// of `type` (one reference) rebuilt from `descriptor` and `extra`, given `aux` and
// `aux_word` (aux -1: none); nullptr when it cannot be. Both descriptors are taken over:
// kept by the object or closed here.
kernel::Object* inherit_import(kernel::ObjectType type, int descriptor, uint32_t extra, int aux, uint32_t aux_word,
                               ACCESS_MASK access);

// Registers the kind for objects of `type` (one per type; the last one wins). A driver
// registers from a static object built before the child's start-up runs (a constructor
// of default priority, win32/process.cpp):
//     const InheritRegistration r OVERLAPPED_INHERIT_EARLY(type, &kind);
void inherit_register(kernel::ObjectType type, const InheritKind* kind);
const InheritKind* inherit_kind(kernel::ObjectType type);

struct InheritRegistration {
    InheritRegistration(kernel::ObjectType type, const InheritKind* kind) { inherit_register(type, kind); }
};

}  // namespace overlapped::drivers
