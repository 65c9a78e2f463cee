// process.h: starting child processes (posix_spawn, or fork for CREATE_SUSPENDED), the
// pidfd watch that signals a child's object when it exits, and, in a child built on this
// library, the start-up that rebuilds the handles its parent passed (docs/processes.md).
#pragma once

#include <string>
#include <vector>

#include <windows.h>

#include "kernel/process.h"

namespace overlapped::drivers {

// STARTUPINFO's fields a child reads back with GetStartupInfo (besides the standard
// handles): given by the parent, carried in the start-up record.
struct StartupWindow {
    DWORD flags = 0;  // dwFlags as given (STARTF_USESTDHANDLES included)
    DWORD show = 0, x = 0, y = 0, x_size = 0, y_size = 0, x_chars = 0, y_chars = 0, fill = 0;
    bool has_title = false, has_desktop = false;  // lpTitle, lpDesktop not NULL
    std::string title, desktop;                   // UTF-8
};

struct SpawnRequest {
    std::string path;                      // the program (Linux path), already found
    std::vector<std::string> arguments;    // argv, argv[0] included
    // The child's environment, "NAME=value" each: the caller's strings, which must live
    // until process_spawn returns.
    std::vector<const char*> environment;
    std::string directory;                 // Linux path; empty: the caller's
    bool use_std_handles = false;          // STARTF_USESTDHANDLES
    HANDLE std_handles[3] = {nullptr, nullptr, nullptr};
    bool inherit_handles = false;          // bInheritHandles
    bool inherit_listed_only = false;      // PROC_THREAD_ATTRIBUTE_HANDLE_LIST: only these
    std::vector<HANDLE> inherit_list;
    bool suspended = false;                // CREATE_SUSPENDED
    bool new_process_group = false;        // CREATE_NEW_PROCESS_GROUP
    bool detached = false;                 // DETACHED_PROCESS: no console (a session of its own)
    // PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE: the terminal (the caller's descriptor) the child
    // gets as descriptors 0-2 (unless STARTF_USESTDHANDLES) and as its controlling terminal,
    // in a session of its own; -1: none.
    int terminal = -1;
    std::string terminal_path;
    StartupWindow window;                  // for the child's GetStartupInfo
    DWORD priority_class = 0;              // a class flag given (the child's own view of it); 0: none
    std::string command_line;              // UTF-8: the child's GetCommandLine
    // Joining `arguments` by the C run-time's quoting gives `command_line` back: a child
    // needs no record for it (GetCommandLine rebuilds it from argv).
    bool command_line_from_arguments = false;
};

// A duplicate (from 3 up, close-on-exec; the caller closes it) of the descriptor behind a
// handle (a standard handle given in STARTUPINFO, a pseudo console's pipe); -1 when the
// handle is null, invalid or of a kind with no descriptor.
int std_descriptor(HANDLE handle);

// Starts the child. Returns its object (one reference; its exit is watched) or nullptr
// with *error (ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_BAD_EXE_FORMAT,
// ERROR_DIRECTORY...).
kernel::ProcessObject* process_spawn(const SpawnRequest& request, DWORD* error);

// OpenProcess of a process that is not a child of ours: an object (one reference) that
// is signalled when it exits, or nullptr with *error (ERROR_INVALID_PARAMETER: no such
// process; ERROR_ACCESS_DENIED).
kernel::ProcessObject* process_open_foreign(DWORD pid, DWORD* error);

// What a child built on this library learnt from its parent at start-up.
struct Startup {
    bool from_parent = false;   // started by CreateProcess of this library
    std::string command_line;   // UTF-8, when from_parent
    bool use_std_handles = false;
    bool detached = false;      // DETACHED_PROCESS: started without a console
    bool pseudo_console = false;  // PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE: null handles are its terminal
    StartupWindow window;       // the parent's STARTUPINFO fields, when from_parent
    DWORD priority_class = 0;   // the class CreateProcess's flags gave this process; 0: none
    HANDLE std_handles[3] = {nullptr, nullptr, nullptr};
    bool std_inherited[3] = {false, false, false};  // the value names an inherited handle here
};

// Runs the start-up once (the first call; the library calls it from a constructor):
// rebuilds inherited handles at their values and removes the variable that carried them.
const Startup& process_startup();

}  // namespace overlapped::drivers
