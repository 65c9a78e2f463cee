// process.cpp: CreateProcessA/W (the command line split by the Microsoft C run-time's
// rules, the program found as Windows finds it, the environment block, the current
// directory, STARTUPINFO's standard handles), process handles (exit codes, termination,
// ids, OpenProcess), GetStartupInfo, the command line and environment of this process,
// the current directory, GetModuleFileName. docs/processes.md.
#include <cerrno>
#include <csignal>
#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <strings.h>
#include <pwd.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "common/errors.h"
#include "drivers/console.h"
#include "drivers/file.h"
#include "drivers/process.h"
#include "drivers/pseudo_console.h"
#include "kernel/console_ctrl.h"
#include "kernel/handle_table.h"
#include "kernel/job.h"
#include "kernel/process.h"
#include "kernel/thread.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

extern char** environ;

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::copy_out;

namespace {

// ---- Command lines

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Splits a command line as the Microsoft C run-time (UCRT) does: the program name ends at
// a blank outside quotes, quotes toggle and no backslash is special in it; in the
// arguments 2n backslashes and a quote give n backslashes and toggle quoting, 2n+1 give n
// backslashes and a literal quote, backslashes before anything else are literal, and two
// quotes inside a quoted part give a literal quote.
std::vector<std::string> split_command_line(const std::string& line)
{
    std::vector<std::string> arguments;
    size_t i = 0, n = line.size();
    std::string program;
    bool quoted = false;
    while (i < n && (quoted || !is_blank(line[i]))) {
        if (line[i] == '"') quoted = !quoted;
        else program += line[i];
        ++i;
    }
    arguments.push_back(program);
    for (;;) {
        while (i < n && is_blank(line[i])) ++i;
        if (i >= n) break;
        std::string argument;
        quoted = false;
        while (i < n) {
            size_t backslashes = 0;
            while (i < n && line[i] == '\\') {
                ++backslashes;
                ++i;
            }
            if (i < n && line[i] == '"') {
                argument.append(backslashes / 2, '\\');
                if (backslashes % 2 == 1) {
                    argument += '"';
                    ++i;
                } else if (quoted && i + 1 < n && line[i + 1] == '"') {
                    argument += '"';
                    i += 2;
                } else {
                    quoted = !quoted;
                    ++i;
                }
                continue;
            }
            argument.append(backslashes, '\\');
            if (i >= n || (!quoted && is_blank(line[i]))) break;
            argument += line[i++];
        }
        arguments.push_back(argument);
    }
    return arguments;
}

// The command line that splits back into `arguments` (for a process not started by
// CreateProcess: its argv).
std::string join_command_line(const std::vector<std::string>& arguments)
{
    std::string line;
    for (size_t k = 0; k < arguments.size(); ++k) {
        const std::string& argument = arguments[k];
        if (k != 0) line += ' ';
        if (k == 0) {  // the program name: no escapes exist, only quotes around blanks
            bool blanks = argument.find_first_of(" \t") != std::string::npos || argument.empty();
            if (blanks) line += '"';
            line += argument;
            if (blanks) line += '"';
            continue;
        }
        if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string::npos) {
            line += argument;
            continue;
        }
        line += '"';
        size_t backslashes = 0;
        for (char c : argument) {
            if (c == '\\') {
                ++backslashes;
                continue;
            }
            if (c == '"') line.append(backslashes * 2 + 1, '\\');
            else line.append(backslashes, '\\');
            backslashes = 0;
            line += c;
        }
        line.append(backslashes * 2, '\\');
        line += '"';
    }
    return line;
}

// ---- Finding the program

bool is_regular_file(const std::string& path)
{
    struct stat status;
    return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

bool has_extension(const std::string& name)
{
    size_t slash = name.find_last_of("/\\");
    size_t dot = name.find_last_of('.');
    return dot != std::string::npos && (slash == std::string::npos || dot > slash);
}

// `path` (a Win32 or Linux path) or, with no extension, `path`.exe, each in Linux form as
// Windows' path normalization leaves it ("app.exe " is "app.exe"). Whether .exe is added
// is decided on the name as written, as SearchPath does before the path is normalized.
bool try_file(const std::string& path, std::string* found)
{
    std::string linux_path;
    if (drivers::file_linux_path(path, &linux_path) == ERROR_SUCCESS && is_regular_file(linux_path)) {
        *found = linux_path;
        return true;
    }
    if (!has_extension(path) && drivers::file_linux_path(path + ".exe", &linux_path) == ERROR_SUCCESS &&
        is_regular_file(linux_path)) {
        *found = linux_path;
        return true;
    }
    return false;
}

// A program name as CreateProcess finds it. lpApplicationName (`search` false): that file,
// no extension added ("This parameter must include the file name extension; no default
// extension is assumed", Microsoft Learn, CreateProcessA). The command line's first token:
// a name with a directory part (or a drive) as it is, or with .exe; a bare name in the
// program's own directory, the current directory, then PATH. Windows' system directories
// have no counterpart here.
bool find_program(const std::string& name, bool search, std::string* found)
{
    if (name.empty()) return false;
    bool has_directory = name.find_first_of("/\\") != std::string::npos || (name.size() >= 2 && name[1] == ':');
    if (has_directory || !search) {
        if (search) return try_file(name, found);
        std::string linux_path;
        if (drivers::file_linux_path(name, &linux_path) != ERROR_SUCCESS) return false;
        if (!is_regular_file(linux_path)) return false;
        *found = linux_path;
        return true;
    }
    std::vector<std::string> directories;
    directories.push_back(win32::executable_directory());
    directories.push_back(".");
    const char* path = getenv("PATH");
    std::string list = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    for (;;) {
        size_t end = list.find(':', start);
        std::string entry = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
        directories.push_back(entry.empty() ? "." : entry);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    for (const std::string& directory : directories)
        if (!directory.empty() && try_file(directory + "/" + name, found)) return true;
    return false;
}

// Why `name`, a program named by its path, cannot be run, as Windows says it: its
// CreateProcessInternalW opens the file as a file that is no directory (NtOpenFile with
// FILE_NON_DIRECTORY_FILE for lpApplicationName; CreateFileW, which refuses a directory,
// for the command line's first token; the Windows XP source, base/win32/client/process.c),
// so a directory is ERROR_ACCESS_DENIED (STATUS_FILE_IS_A_DIRECTORY), a directory missing
// on the way ERROR_PATH_NOT_FOUND, anything else ERROR_FILE_NOT_FOUND.
DWORD unrunnable_path_error(const std::string& name)
{
    std::string linux_path;
    DWORD error = drivers::file_linux_path(name, &linux_path);
    if (error != ERROR_SUCCESS) return error;
    struct stat status;
    if (stat(linux_path.c_str(), &status) == 0) return S_ISDIR(status.st_mode) ? ERROR_ACCESS_DENIED : ERROR_FILE_NOT_FOUND;
    if (errno == ENOTDIR) return ERROR_PATH_NOT_FOUND;
    if (errno != ENOENT) return win32_error_from_errno(errno);
    while (linux_path.size() > 1 && linux_path.back() == '/') linux_path.pop_back();
    size_t slash = linux_path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return ERROR_FILE_NOT_FOUND;
    if (stat(linux_path.substr(0, slash).c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) return ERROR_PATH_NOT_FOUND;
    return ERROR_FILE_NOT_FOUND;
}

// A name Windows calls relative (RtlDetermineDosPathNameType_U's RtlPathTypeRelative): no
// leading slash and no drive. Not found, such a first token is ERROR_FILE_NOT_FOUND
// whatever is missing; any other says what is missing (unrunnable_path_error).
bool is_relative_name(const std::string& name)
{
    if (name.empty()) return true;
    if (name[0] == '\\' || name[0] == '/') return false;
    return !(name.size() >= 2 && name[1] == ':');
}

// With no application name: the first token of the command line. Quoted, it is the
// name; unquoted and followed by more blanks, Windows tries each longer prefix ending at
// a blank ("c:\program files\app.exe" unquoted tries "c:\program", then "c:\program
// files\app.exe"...), and so does this. A prefix found past a blank is then quoted in
// the child's command line, so that the child reads it as one name: *quoted_end is where
// it ends (npos when the first token was found as it is).
// Not found: *error is what Windows reports, the first token's error (the Windows XP
// source keeps the first try's last error through the longer prefixes).
bool find_program_in_command_line(const std::string& line, std::string* found, size_t* quoted_end, DWORD* error)
{
    *quoted_end = std::string::npos;
    auto first_error = [&](const std::string& name) {
        *error = is_relative_name(name) ? ERROR_FILE_NOT_FOUND : unrunnable_path_error(name);
        return false;
    };
    // Leading blanks are not skipped: the first token is then empty, and the longer
    // prefixes keep the blanks, so such a line names no program, as on Windows (Wine's
    // get_file_name and ReactOS' CreateProcessInternalW scan from the first character).
    if (!line.empty() && line[0] == '"') {
        size_t end = line.find('"', 1);
        std::string name = line.substr(1, end == std::string::npos ? std::string::npos : end - 1);
        return find_program(name, true, found) || first_error(name);
    }
    size_t end = 0;
    std::string first_token;
    for (bool first = true;; first = false) {
        while (end < line.size() && !is_blank(line[end])) ++end;
        if (first) first_token = line.substr(0, end);
        if (find_program(line.substr(0, end), true, found)) {
            if (!first) *quoted_end = end;
            return true;
        }
        if (end >= line.size()) return first_error(first_token);
        while (end < line.size() && is_blank(line[end])) ++end;
        if (end >= line.size()) return first_error(first_token);
    }
}

// ---- Environment

std::mutex environment_mutex;

// The '=' that ends the name of an environment entry: the first after its first character,
// as on Windows, where a name may begin with '=' ("=C:=C:\\dir", the current directory of
// drive C: that cmd.exe keeps). Null if none.
const char* entry_separator(const char* entry)
{
    return entry[0] == '\0' ? nullptr : strchr(entry + 1, '=');
}

// The index in environ of the entry named `name` (without case), or -1.
long find_entry(const std::string& name)
{
    if (name.empty()) return -1;
    for (long i = 0; environ != nullptr && environ[i] != nullptr; ++i) {
        const char* equals = entry_separator(environ[i]);
        if (equals == nullptr) continue;
        size_t length = static_cast<size_t>(equals - environ[i]);
        if (length == name.size() && strncasecmp(environ[i], name.c_str(), length) == 0) return i;
    }
    return -1;
}

// The entry of `name` in environ, compared without case as Windows does; null if none.
// The first that matches, as Windows' linear search finds it: a block given to
// CreateProcess may hold "a=1" before "A=2", and the name asked for as "A" finds "a=1".
const char* find_variable(const std::string& name, std::string* actual_name)
{
    long i = find_entry(name);
    if (i < 0) return nullptr;
    const char* equals = entry_separator(environ[i]);
    actual_name->assign(environ[i], static_cast<size_t>(equals - environ[i]));
    return equals + 1;
}

// Sets or (value null) removes a variable whose name begins with '=', which setenv and
// unsetenv refuse: environ is edited directly. A new entry takes the slot glibc's setenv
// makes for a placeholder (so the array stays glibc's to grow); a replaced entry's string
// is left allocated, as glibc leaves the strings it replaces (a pointer getenv returned
// may still be in use). Under environment_mutex. False when memory runs out.
bool set_equals_variable(const std::string& name, const char* value)
{
    long i = find_entry(name);
    if (value == nullptr) {
        if (i < 0) return true;
        for (; environ[i] != nullptr; ++i) environ[i] = environ[i + 1];
        return true;
    }
    std::string text = name + "=" + value;
    char* entry = strdup(text.c_str());
    if (entry == nullptr) return false;
    // Every string made here stays allocated and listed (as glibc keeps the strings its
    // setenv made): one that environ no longer names is still reachable, not a leak.
    static std::vector<char*>* made = new std::vector<char*>();
    made->push_back(entry);
    if (i >= 0) {
        environ[i] = entry;
        return true;
    }
    static const char kPlaceholder[] = "OVERLAPPED_ENVIRONMENT_SLOT";
    if (setenv(kPlaceholder, "", 1) != 0) return false;  // the string stays listed
    const char* placeholder = getenv(kPlaceholder) - sizeof kPlaceholder;  // its entry, "NAME="
    for (long slot = 0; environ[slot] != nullptr; ++slot)
        if (environ[slot] == placeholder) {
            environ[slot] = entry;  // the placeholder's string stays glibc's, as after an unsetenv
            return true;
        }
    return false;
}

// Splits an environment block ("A=1\0B=2\0\0") into entries.
template <class Char>
size_t block_length(const Char* block)
{
    size_t i = 0;
    while (block[i] != 0 || block[i + 1] != 0) ++i;
    return i;
}

std::vector<std::string> environment_entries(const void* block, bool unicode)
{
    std::vector<std::string> entries;
    if (unicode) {
        const auto* at = static_cast<const WCHAR*>(block);
        while (*at != 0) {
            size_t length = 0;
            while (at[length] != 0) ++length;
            entries.push_back(win32::utf8_from_utf16(at, length));
            at += length + 1;
        }
    } else {
        const auto* at = static_cast<const char*>(block);
        while (*at != 0) {
            size_t length = strlen(at);
            entries.emplace_back(at, length);
            at += length + 1;
        }
    }
    return entries;
}

// ---- STARTUPINFOEX's attribute list

}  // namespace

// The opaque list behind LPPROC_THREAD_ATTRIBUTE_LIST: the caller's memory, sized by
// InitializeProcThreadAttributeList. Values are the caller's pointers, which must live
// until the list is deleted (as on Windows).
struct _PROC_THREAD_ATTRIBUTE_LIST {
    DWORD mask;      // attributes set (bit = attribute number)
    DWORD capacity;
    DWORD count;
    DWORD reserved;
    struct Entry {
        DWORD_PTR attribute;
        SIZE_T size;
        void* value;
    } entries[1];
};

namespace {

constexpr DWORD_PTR kAttributeNumber = 0x0000FFFF;

// The entry for `attribute` in an attribute list, or null.
const _PROC_THREAD_ATTRIBUTE_LIST::Entry* find_attribute(const _PROC_THREAD_ATTRIBUTE_LIST* list, DWORD_PTR attribute)
{
    if (list == nullptr) return nullptr;
    for (DWORD i = 0; i < list->count; ++i)
        if (list->entries[i].attribute == attribute) return &list->entries[i];
    return nullptr;
}

// The handle list of an attribute list, if it has one.
bool attribute_handle_list(const _PROC_THREAD_ATTRIBUTE_LIST* list, std::vector<HANDLE>* handles)
{
    const auto* entry = find_attribute(list, PROC_THREAD_ATTRIBUTE_HANDLE_LIST);
    if (entry == nullptr) return false;
    const HANDLE* values = static_cast<const HANDLE*>(entry->value);
    handles->assign(values, values + entry->size / sizeof(HANDLE));
    return true;
}

// PROC_THREAD_ATTRIBUTE_PARENT_PROCESS: whether it names a process other than this one
// (its handle is stored by address: lpValue points at the HANDLE).
bool attribute_foreign_parent(const _PROC_THREAD_ATTRIBUTE_LIST* list)
{
    const auto* entry = find_attribute(list, PROC_THREAD_ATTRIBUTE_PARENT_PROCESS);
    if (entry == nullptr) return false;
    HANDLE parent = *static_cast<const HANDLE*>(entry->value);
    DWORD error;
    kernel::Object* object = kernel::handle_reference(parent, kernel::ObjectType::Process, 0, &error);
    if (object == nullptr) return true;
    bool foreign = object != kernel::current_process_object();
    object->release_reference();
    return foreign;
}

}  // namespace

bool win32::attribute_group_affinity(const _PROC_THREAD_ATTRIBUTE_LIST* list, GROUP_AFFINITY* affinity)
{
    const auto* entry = find_attribute(list, PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY);
    if (entry == nullptr) return false;
    memcpy(affinity, entry->value, sizeof(*affinity));
    return true;
}

namespace {

// The calling thread's processors, moved for a spawn and put back (at the latest when it
// goes out of scope).
struct CallerAffinity {
    cpu_set_t saved;
    bool moved = false;
    bool move_to(DWORD_PTR mask)
    {
        if (sched_getaffinity(0, sizeof(saved), &saved) != 0) return false;
        cpu_set_t set;
        kernel::cpu_set_of_mask(mask, &set);
        moved = sched_setaffinity(0, sizeof(set), &set) == 0;
        return moved;
    }
    void restore()
    {
        if (moved) sched_setaffinity(0, sizeof(saved), &saved);
        moved = false;
    }
    ~CallerAffinity() { restore(); }
};

// A pseudo console's terminal descriptor, held for the spawn.
struct PseudoConsoleTerminal {
    int descriptor = -1;
    ~PseudoConsoleTerminal()
    {
        if (descriptor >= 0) close(descriptor);
    }
};

// ---- CreateProcess, in UTF-8

struct CreateArguments {
    const char* application = nullptr;
    std::string command_line;
    bool has_command_line = false;
    const SECURITY_ATTRIBUTES* process_attributes = nullptr;
    const SECURITY_ATTRIBUTES* thread_attributes = nullptr;
    BOOL inherit = FALSE;
    DWORD flags = 0;
    const void* environment = nullptr;
    const char* directory = nullptr;
    DWORD startup_flags = 0;
    HANDLE std_handles[3] = {nullptr, nullptr, nullptr};
    drivers::StartupWindow window;  // STARTUPINFO's other fields, for the child's GetStartupInfo
    const _PROC_THREAD_ATTRIBUTE_LIST* attributes = nullptr;  // EXTENDED_STARTUPINFO_PRESENT
};

// STARTUPINFO's fields that a child reads back with GetStartupInfo (A or W).
template <class Info, class Text>
drivers::StartupWindow startup_window(const Info& info, Text utf8)
{
    drivers::StartupWindow window;
    window.flags = info.dwFlags;
    window.show = info.wShowWindow;
    window.x = info.dwX;
    window.y = info.dwY;
    window.x_size = info.dwXSize;
    window.y_size = info.dwYSize;
    window.x_chars = info.dwXCountChars;
    window.y_chars = info.dwYCountChars;
    window.fill = info.dwFillAttribute;
    window.has_title = info.lpTitle != nullptr;
    if (window.has_title) window.title = utf8(info.lpTitle);
    window.has_desktop = info.lpDesktop != nullptr;
    if (window.has_desktop) window.desktop = utf8(info.lpDesktop);
    return window;
}

BOOL create_process(const CreateArguments& arguments, PROCESS_INFORMATION* information)
{
    if (information == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    // Zeroed first, so a call that fails leaves no stale handles in it (Wine's kernel32
    // process test, which passes on Windows).
    memset(information, 0, sizeof *information);
    if (arguments.application == nullptr && !arguments.has_command_line) return fail(ERROR_INVALID_PARAMETER, FALSE);
    // An empty application name is a path that names nothing (the same test).
    if (arguments.application != nullptr && arguments.application[0] == '\0') return fail(ERROR_PATH_NOT_FOUND, FALSE);
    // A new console and none at all (Microsoft Learn, Process Creation Flags: "This flag
    // cannot be used with DETACHED_PROCESS"; ReactOS's CreateProcessInternalW refuses it).
    if ((arguments.flags & (DETACHED_PROCESS | CREATE_NEW_CONSOLE)) == (DETACHED_PROCESS | CREATE_NEW_CONSOLE))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    drivers::SpawnRequest request;
    request.command_line = arguments.command_line;
    if (arguments.application != nullptr) {
        if (!find_program(arguments.application, false, &request.path))
            return fail(unrunnable_path_error(arguments.application), FALSE);
        // No command line (or an empty one): the child's is the application name, quoted
        // (Wine's CreateProcessInternalW, and ReactOS', whose CmdLineIsAppName does so).
        if (request.command_line.empty()) request.command_line = "\"" + std::string(arguments.application) + "\"";
    } else {
        size_t end;
        DWORD missing = ERROR_FILE_NOT_FOUND;
        if (!find_program_in_command_line(request.command_line, &request.path, &end, &missing))
            return fail(missing, FALSE);
        // A name found past a blank is quoted for the child (Wine's get_file_name, and
        // ReactOS' CreateProcessInternalW, whose QuotesNeeded does so).
        if (end != std::string::npos)
            request.command_line = "\"" + request.command_line.substr(0, end) + "\"" + request.command_line.substr(end);
    }
    // A relative name was found from this process's current directory, where Windows
    // looks for it; the child's execve runs after its chdir to lpCurrentDirectory.
    if (request.path[0] != '/') {
        char here[PATH_MAX];
        if (getcwd(here, sizeof here) == nullptr) return fail(win32_error_from_errno(errno), FALSE);
        request.path = std::string(here) + "/" + request.path;
    }
    // posix_spawn reports a program that may not run (EACCES); a suspended child's
    // execve comes later, so that case is checked now.
    if ((arguments.flags & CREATE_SUSPENDED) && access(request.path.c_str(), X_OK) != 0)
        return fail(ERROR_ACCESS_DENIED, FALSE);
    request.arguments = split_command_line(request.command_line);
    request.command_line_from_arguments = join_command_line(request.arguments) == request.command_line;
    std::vector<std::string> given_environment;  // lpEnvironment's entries
    if (arguments.environment != nullptr) {
        given_environment =
            environment_entries(arguments.environment, (arguments.flags & CREATE_UNICODE_ENVIRONMENT) != 0);
        request.environment.reserve(given_environment.size());
        for (const std::string& entry : given_environment) request.environment.push_back(entry.c_str());
    }
    if (arguments.directory != nullptr) {
        std::string linux_path;
        struct stat status;
        if (drivers::file_linux_path(arguments.directory, &linux_path) != ERROR_SUCCESS ||
            stat(linux_path.c_str(), &status) != 0 || !S_ISDIR(status.st_mode))
            return fail(ERROR_DIRECTORY, FALSE);
        request.directory = linux_path;
    }
    request.use_std_handles = (arguments.startup_flags & STARTF_USESTDHANDLES) != 0;
    for (int i = 0; i < 3; ++i) request.std_handles[i] = arguments.std_handles[i];
    request.inherit_handles = arguments.inherit != FALSE;
    // Another process as the child's parent is not built (it would also be the one the
    // child inherits from); this process as its parent is what happens anyway.
    if (attribute_foreign_parent(arguments.attributes)) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    request.inherit_listed_only = attribute_handle_list(arguments.attributes, &request.inherit_list);
    if (request.inherit_listed_only) {
        // The list names handles to inherit: only with bInheritHandles, and each one a real
        // handle marked inheritable (Microsoft Learn, UpdateProcThreadAttribute); Windows
        // refuses the call otherwise rather than start the child with fewer handles.
        // A NULL in it is accepted and means "inherit nothing" (the observed Windows
        // behaviour, rprichard's win32-console-docs CreateProcess_InheritList tests).
        if (!request.inherit_handles) return fail(ERROR_INVALID_PARAMETER, FALSE);
        bool nothing = false;
        for (HANDLE handle : request.inherit_list) {
            if (handle == nullptr) {
                nothing = true;
                continue;
            }
            DWORD flags = 0;
            if (kernel::handle_get_flags(handle, &flags) != ERROR_SUCCESS || !(flags & HANDLE_FLAG_INHERIT))
                return fail(ERROR_INVALID_PARAMETER, FALSE);
        }
        if (nothing) request.inherit_list.clear();
    }
    // PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE: the child's console is the pseudo console's
    // terminal (drivers/pseudo_console.h).
    PseudoConsoleTerminal terminal;
    // PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY: the processors of the child's first thread,
    // set once it exists (group 0, within this machine's: ERROR_INVALID_PARAMETER).
    GROUP_AFFINITY child_affinity;
    bool has_affinity = win32::attribute_group_affinity(arguments.attributes, &child_affinity);
    if (has_affinity) {
        long processors = sysconf(_SC_NPROCESSORS_CONF);
        DWORD_PTR machine = processors >= 64 ? ~DWORD_PTR(0) : (DWORD_PTR(1) << (processors > 0 ? processors : 1)) - 1;
        if (child_affinity.Group != 0 || child_affinity.Mask == 0 || (child_affinity.Mask & ~machine) != 0)
            return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    if (const auto* entry = find_attribute(arguments.attributes, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE)) {
        DWORD refused = drivers::pseudo_console_terminal(entry->value, &terminal.descriptor, &request.terminal_path);
        if (refused != ERROR_SUCCESS) return fail(refused, FALSE);
        request.terminal = terminal.descriptor;
    }
    request.suspended = (arguments.flags & CREATE_SUSPENDED) != 0;
    request.new_process_group = (arguments.flags & CREATE_NEW_PROCESS_GROUP) != 0;
    request.detached = (arguments.flags & DETACHED_PROCESS) != 0;
    request.window = arguments.window;
    // No desktop named: the caller's own (Windows' CreateProcessInternalW gives the child
    // the caller's DesktopInfo, the Windows XP source; Wine's kernel32 process test,
    // test_Startup, checks the child's lpDesktop is its parent's).
    if (!request.window.has_desktop) {
        const drivers::Startup& own = drivers::process_startup();
        if (own.from_parent && own.window.has_desktop) {
            request.window.has_desktop = true;
            request.window.desktop = own.window.desktop;
        }
    }
    // A priority class among the creation flags is the child's ("The dwCreationFlags
    // parameter also controls the new process's priority class", Microsoft Learn,
    // CreateProcessA); of several, the first in the order Windows' CreateProcessInternalW
    // tests them (the Windows XP source). The child learns it from its start-up record
    // (its own GetPriorityClass, its threads' nice values); it is also set from here once
    // the child runs, below.
    static const DWORD kClasses[] = {IDLE_PRIORITY_CLASS,         BELOW_NORMAL_PRIORITY_CLASS,
                                     NORMAL_PRIORITY_CLASS,       ABOVE_NORMAL_PRIORITY_CLASS,
                                     HIGH_PRIORITY_CLASS,         REALTIME_PRIORITY_CLASS};
    for (DWORD priority_class : kClasses) {
        if (!(arguments.flags & priority_class)) continue;
        request.priority_class = priority_class;
        break;
    }
    if (request.priority_class == 0 && GetThreadPriority(GetCurrentThread()) != THREAD_PRIORITY_NORMAL) {
        // None given: NORMAL_PRIORITY_CLASS, or this process's class when that is IDLE or
        // BELOW_NORMAL (Microsoft Learn, Scheduling Priorities). A Linux child inherits the
        // calling thread's nice value instead, which SetThreadPriority has moved off its
        // class's base here: the class is then set as if it had been given.
        DWORD own = GetPriorityClass(GetCurrentProcess());
        request.priority_class =
            own == IDLE_PRIORITY_CLASS || own == BELOW_NORMAL_PRIORITY_CLASS ? own : NORMAL_PRIORITY_CLASS;
    }

    // A process in a job starts its children in it, unless they may break away
    // (CREATE_BREAKAWAY_FROM_JOB needs JOB_OBJECT_LIMIT_BREAKAWAY_OK: ERROR_ACCESS_DENIED).
    kernel::JobObject* job = kernel::current_job();
    if (job != nullptr) {
        DWORD limits = job->limit_flags();
        bool breakaway = (limits & JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK) ||
                         ((arguments.flags & CREATE_BREAKAWAY_FROM_JOB) && (limits & JOB_OBJECT_LIMIT_BREAKAWAY_OK));
        if ((arguments.flags & CREATE_BREAKAWAY_FROM_JOB) && !(limits & JOB_OBJECT_LIMIT_BREAKAWAY_OK)) {
            job->release_reference();
            return fail(ERROR_ACCESS_DENIED, FALSE);
        }
        if (breakaway) {
            job->release_reference();
            job = nullptr;
        } else if (!job->admits_another()) {
            // JOB_OBJECT_LIMIT_ACTIVE_PROCESS: the child is not started (on Windows it is
            // made and ended at once; the job has posted ACTIVE_PROCESS_LIMIT either way).
            job->release_reference();
            return fail(ERROR_NOT_ENOUGH_QUOTA, FALSE);
        }
    }
    DWORD error = ERROR_SUCCESS;
    // Our own environment goes as the entries' addresses, taken and used under the lock
    // SetEnvironmentVariable takes: no entry is replaced or removed (and perhaps freed by
    // the program that putenv'd it) until the child has its copy.
    std::unique_lock<std::mutex> environment_guard(environment_mutex, std::defer_lock);
    if (arguments.environment == nullptr) {
        environment_guard.lock();
        for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) request.environment.push_back(*entry);
    }
    // The child's first thread takes the spawning thread's processors (Linux copies them
    // into the new task): the caller runs on the attribute's for the spawn's time.
    CallerAffinity caller_affinity;
    if (has_affinity && !caller_affinity.move_to(child_affinity.Mask)) {
        if (job != nullptr) job->release_reference();
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    kernel::ProcessObject* process = drivers::process_spawn(request, &error);
    caller_affinity.restore();
    if (environment_guard.owns_lock()) environment_guard.unlock();
    if (process == nullptr) {
        if (job != nullptr) job->release_reference();
        return fail(error, FALSE);
    }
    if (job != nullptr) {
        error = job->assign(process);  // over the active-process limit (raced): ended, as on Windows
        job->release_reference();
        if (error != ERROR_SUCCESS) {
            process->release_reference();
            return fail(error, FALSE);
        }
    }
    process->lock.lock();
    DWORD id = process->process_id();
    process->lock.unlock();
    // The primary thread's handle names the process object too (docs/processes.md).
    process->add_reference();
    bool inherit_process = arguments.process_attributes != nullptr && arguments.process_attributes->bInheritHandle;
    bool inherit_thread = arguments.thread_attributes != nullptr && arguments.thread_attributes->bInheritHandle;
    HANDLE process_handle =
        kernel::handle_create(process, PROCESS_ALL_ACCESS, inherit_process ? HANDLE_FLAG_INHERIT : 0, &error);
    HANDLE thread_handle =
        kernel::handle_create(process, THREAD_ALL_ACCESS | kernel::kAccessPrimaryThread,
                              inherit_thread ? HANDLE_FLAG_INHERIT : 0, &error);
    if (process_handle == nullptr || thread_handle == nullptr) {
        if (process_handle != nullptr) kernel::handle_close(process_handle);
        if (thread_handle != nullptr) kernel::handle_close(thread_handle);
        return fail(error, FALSE);
    }
    // The priority class flag, set as SetPriorityClass sets another process's: recorded in
    // the object, and each of the child's threads' nice values (docs/processes.md).
    if (request.priority_class != 0) {
        DWORD last = GetLastError();
        SetPriorityClass(process_handle, request.priority_class);  // fails only for a child that has already ended
        win32::set_last_error(last);
    }
    information->hProcess = process_handle;
    information->hThread = thread_handle;
    information->dwProcessId = id;
    information->dwThreadId = id;  // a Linux process's first thread has the process's id
    return TRUE;
}

// ---- This process's command line and start-up

const drivers::Startup& startup() { return drivers::process_startup(); }

const std::string& command_line_utf8()
{
    static const std::string* line = [] {
        if (startup().from_parent) return new std::string(startup().command_line);
        std::vector<std::string> arguments;
        int descriptor = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
        std::string text;
        if (descriptor >= 0) {
            char buffer[4096];
            ssize_t n;
            while ((n = read(descriptor, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
            close(descriptor);
        }
        size_t start = 0;
        while (start < text.size()) {
            size_t end = text.find('\0', start);
            if (end == std::string::npos) end = text.size();
            arguments.push_back(text.substr(start, end - start));
            start = end + 1;
        }
        return new std::string(join_command_line(arguments));
    }();
    return *line;
}

// Runs the child's start-up before main(): inherited handles exist from the first line,
// the standard handles are STARTUPINFO's, and a DETACHED_PROCESS child has no console
// (as after FreeConsole: console handles unbound, no console control events).
__attribute__((constructor(65535))) void process_start_up()
{
    const drivers::Startup& state = startup();
    if (state.from_parent && state.detached) {
        drivers::console_set_attached(false);
        kernel::ctrl_start_detached();
    }
    // A class CreateProcess's flags gave this process: its own GetPriorityClass, and the
    // base of its threads' nice values.
    if (state.from_parent && state.priority_class != 0) SetPriorityClass(GetCurrentProcess(), state.priority_class);
    if (!state.from_parent || !state.use_std_handles) return;
    // A null STARTUPINFO field stays null: Windows gives the child no handle for it
    // (rprichard/win32-console-docs, "CreateProcess (traditional)" and "(modern)", run on
    // Windows XP to 10), though its descriptor is /dev/null for the C library's sake; with
    // a pseudo console its descriptor is the console's terminal, and stays the handle.
    const DWORD which[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    for (int i = 0; i < 3; ++i)
        if (state.std_inherited[i] || (state.std_handles[i] == nullptr && !state.pseudo_console))
            SetStdHandle(which[i], state.std_handles[i]);
}

std::string optional_utf8(const WCHAR* text) { return text == nullptr ? std::string() : win32::utf8_from_utf16(text); }

}  // namespace

extern "C" {

// ---- CreateProcess

BOOL WINAPI CreateProcessA(LPCSTR lpApplicationName, LPSTR lpCommandLine, LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles, DWORD dwCreationFlags,
                           LPVOID lpEnvironment, LPCSTR lpCurrentDirectory, LPSTARTUPINFOA lpStartupInfo,
                           LPPROCESS_INFORMATION lpProcessInformation)
{
    if (lpStartupInfo == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    CreateArguments arguments;
    arguments.application = lpApplicationName;
    if (lpCommandLine != nullptr) {
        arguments.command_line = lpCommandLine;
        arguments.has_command_line = true;
    }
    arguments.process_attributes = lpProcessAttributes;
    arguments.thread_attributes = lpThreadAttributes;
    arguments.inherit = bInheritHandles;
    arguments.flags = dwCreationFlags;
    arguments.environment = lpEnvironment;
    arguments.directory = lpCurrentDirectory;
    arguments.startup_flags = lpStartupInfo->dwFlags;
    arguments.std_handles[0] = lpStartupInfo->hStdInput;
    arguments.std_handles[1] = lpStartupInfo->hStdOutput;
    arguments.std_handles[2] = lpStartupInfo->hStdError;
    arguments.window = startup_window(*lpStartupInfo, [](const char* text) { return std::string(text); });
    if ((dwCreationFlags & EXTENDED_STARTUPINFO_PRESENT) && lpStartupInfo->cb >= sizeof(STARTUPINFOEXA))
        arguments.attributes = reinterpret_cast<STARTUPINFOEXA*>(lpStartupInfo)->lpAttributeList;
    return create_process(arguments, lpProcessInformation);
}

BOOL WINAPI CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine, LPSECURITY_ATTRIBUTES lpProcessAttributes,
                           LPSECURITY_ATTRIBUTES lpThreadAttributes, BOOL bInheritHandles, DWORD dwCreationFlags,
                           LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory, LPSTARTUPINFOW lpStartupInfo,
                           LPPROCESS_INFORMATION lpProcessInformation)
{
    if (lpStartupInfo == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string application = optional_utf8(lpApplicationName);
    std::string directory = optional_utf8(lpCurrentDirectory);
    CreateArguments arguments;
    arguments.application = lpApplicationName != nullptr ? application.c_str() : nullptr;
    if (lpCommandLine != nullptr) {
        arguments.command_line = win32::utf8_from_utf16(lpCommandLine);
        arguments.has_command_line = true;
    }
    arguments.process_attributes = lpProcessAttributes;
    arguments.thread_attributes = lpThreadAttributes;
    arguments.inherit = bInheritHandles;
    arguments.flags = dwCreationFlags;
    arguments.environment = lpEnvironment;
    arguments.directory = lpCurrentDirectory != nullptr ? directory.c_str() : nullptr;
    arguments.startup_flags = lpStartupInfo->dwFlags;
    arguments.std_handles[0] = lpStartupInfo->hStdInput;
    arguments.std_handles[1] = lpStartupInfo->hStdOutput;
    arguments.std_handles[2] = lpStartupInfo->hStdError;
    arguments.window = startup_window(*lpStartupInfo, [](const WCHAR* text) { return win32::utf8_from_utf16(text); });
    if ((dwCreationFlags & EXTENDED_STARTUPINFO_PRESENT) && lpStartupInfo->cb >= sizeof(STARTUPINFOEXW))
        arguments.attributes = reinterpret_cast<STARTUPINFOEXW*>(lpStartupInfo)->lpAttributeList;
    return create_process(arguments, lpProcessInformation);
}

BOOL WINAPI InitializeProcThreadAttributeList(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList, DWORD dwAttributeCount,
                                              DWORD dwFlags, PSIZE_T lpSize)
{
    if (lpSize == nullptr || dwFlags != 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    SIZE_T needed = offsetof(_PROC_THREAD_ATTRIBUTE_LIST, entries) +
                    static_cast<SIZE_T>(dwAttributeCount) * sizeof(_PROC_THREAD_ATTRIBUTE_LIST::Entry);
    if (needed < sizeof(_PROC_THREAD_ATTRIBUTE_LIST)) needed = sizeof(_PROC_THREAD_ATTRIBUTE_LIST);
    bool fits = lpAttributeList != nullptr && *lpSize >= needed;
    *lpSize = needed;
    if (!fits) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    lpAttributeList->mask = 0;
    lpAttributeList->capacity = dwAttributeCount;
    lpAttributeList->count = 0;
    lpAttributeList->reserved = 0;
    return TRUE;
}

BOOL WINAPI UpdateProcThreadAttribute(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList, DWORD dwFlags, DWORD_PTR Attribute,
                                      PVOID lpValue, SIZE_T cbSize, PVOID lpPreviousValue, PSIZE_T lpReturnSize)
{
    (void)lpPreviousValue;
    (void)lpReturnSize;
    if (lpAttributeList == nullptr || dwFlags != 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (lpAttributeList->count >= lpAttributeList->capacity) return fail(ERROR_GEN_FAILURE, FALSE);
    switch (Attribute) {
    case PROC_THREAD_ATTRIBUTE_PARENT_PROCESS:
        if (cbSize != sizeof(HANDLE)) return fail(ERROR_BAD_LENGTH, FALSE);
        break;
    case PROC_THREAD_ATTRIBUTE_HANDLE_LIST:
        if (cbSize % sizeof(HANDLE) != 0) return fail(ERROR_BAD_LENGTH, FALSE);
        break;
    case PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE:  // lpValue is the HPCON itself
        if (cbSize != sizeof(HPCON)) return fail(ERROR_BAD_LENGTH, FALSE);
        break;
    case PROC_THREAD_ATTRIBUTE_GROUP_AFFINITY:  // checked by the create that uses it
        if (cbSize != sizeof(GROUP_AFFINITY)) return fail(ERROR_BAD_LENGTH, FALSE);
        break;
    default:
        return fail(ERROR_NOT_SUPPORTED, FALSE);  // docs/deviations.md
    }
    DWORD bit = 1u << (Attribute & kAttributeNumber & 31);
    if (lpAttributeList->mask & bit) return fail(ERROR_OBJECT_NAME_EXISTS, FALSE);
    lpAttributeList->mask |= bit;
    auto& entry = lpAttributeList->entries[lpAttributeList->count++];
    entry.attribute = Attribute;
    entry.size = cbSize;
    entry.value = lpValue;
    return TRUE;
}

void WINAPI DeleteProcThreadAttributeList(LPPROC_THREAD_ATTRIBUTE_LIST lpAttributeList) { (void)lpAttributeList; }

// What the parent's STARTUPINFO gave (Wine's conformance test, test_Startup: every field
// comes back as given), the standard handles when STARTF_USESTDHANDLES; lpTitle, when the
// parent gave none, is the program's path, as on Windows.
void WINAPI GetStartupInfoA(LPSTARTUPINFOA lpStartupInfo)
{
    if (lpStartupInfo == nullptr) return;
    memset(lpStartupInfo, 0, sizeof *lpStartupInfo);
    lpStartupInfo->cb = sizeof *lpStartupInfo;
    const drivers::Startup& state = startup();
    static const std::string* program = [] {  // GetModuleFileName's, without touching the last error
        char path[PATH_MAX];
        ssize_t length = readlink("/proc/self/exe", path, sizeof path);
        return new std::string(path, length > 0 && length < static_cast<ssize_t>(sizeof path) ? length : 0);
    }();
    lpStartupInfo->lpTitle = const_cast<char*>(program->c_str());
    if (state.from_parent) {
        const drivers::StartupWindow& window = state.window;
        lpStartupInfo->dwFlags = window.flags & ~DWORD(STARTF_USESTDHANDLES);
        lpStartupInfo->wShowWindow = static_cast<WORD>(window.show);
        lpStartupInfo->dwX = window.x;
        lpStartupInfo->dwY = window.y;
        lpStartupInfo->dwXSize = window.x_size;
        lpStartupInfo->dwYSize = window.y_size;
        lpStartupInfo->dwXCountChars = window.x_chars;
        lpStartupInfo->dwYCountChars = window.y_chars;
        lpStartupInfo->dwFillAttribute = window.fill;
        if (window.has_title) lpStartupInfo->lpTitle = const_cast<char*>(window.title.c_str());
        if (window.has_desktop) lpStartupInfo->lpDesktop = const_cast<char*>(window.desktop.c_str());
    }
    if (state.from_parent && state.use_std_handles) {
        lpStartupInfo->dwFlags |= STARTF_USESTDHANDLES;
        lpStartupInfo->hStdInput = state.std_handles[0];
        lpStartupInfo->hStdOutput = state.std_handles[1];
        lpStartupInfo->hStdError = state.std_handles[2];
    }
}

void WINAPI GetStartupInfoW(LPSTARTUPINFOW lpStartupInfo)
{
    if (lpStartupInfo == nullptr) return;
    STARTUPINFOA ansi;
    GetStartupInfoA(&ansi);
    // The strings, once: GetStartupInfoA's never change.
    static const std::u16string* title = new std::u16string(win32::utf16_from_utf8(ansi.lpTitle));
    static const std::u16string* desktop =
        ansi.lpDesktop != nullptr ? new std::u16string(win32::utf16_from_utf8(ansi.lpDesktop)) : nullptr;
    static_assert(sizeof(STARTUPINFOA) == sizeof(STARTUPINFOW), "the same layout but for the strings");
    memcpy(lpStartupInfo, &ansi, sizeof ansi);
    lpStartupInfo->lpTitle = reinterpret_cast<LPWSTR>(const_cast<char16_t*>(title->c_str()));
    lpStartupInfo->lpDesktop =
        desktop != nullptr ? reinterpret_cast<LPWSTR>(const_cast<char16_t*>(desktop->c_str())) : nullptr;
}

// ---- Process handles

BOOL WINAPI GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object =
        kernel::handle_reference_granted(hProcess, kernel::ObjectType::Process, 0, &granted, &error);
    if (object == nullptr) return fail(error, FALSE);
    if (!(granted & (PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION))) {
        object->release_reference();
        return fail(ERROR_ACCESS_DENIED, FALSE);
    }
    auto* process = static_cast<kernel::ProcessObject*>(object);
    process->reap();
    process->lock.lock();
    DWORD code = process->exit_code();
    process->lock.unlock();
    process->release_reference();
    if (lpExitCode == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *lpExitCode = code;
    return TRUE;
}

BOOL WINAPI TerminateProcess(HANDLE hProcess, UINT uExitCode)
{
    DWORD error;
    kernel::Object* object =
        kernel::handle_reference(hProcess, kernel::ObjectType::Process, PROCESS_TERMINATE, &error);
    if (object == nullptr) return fail(error, FALSE);
    auto* process = static_cast<kernel::ProcessObject*>(object);
    process->lock.lock();
    bool child = process->is_child();
    process->lock.unlock();
    if (!child) {
        process->release_reference();
        _exit(static_cast<int>(uExitCode));  // this process: at once, no exit handlers, no flush
    }
    error = process->terminate(uExitCode);
    process->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

DWORD WINAPI GetProcessId(HANDLE Process)
{
    // The handle needs a query right (Microsoft Learn, GetProcessId).
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_lock_granted(Process, kernel::ObjectType::Process, 0, &granted, &error);
    if (object == nullptr) return fail(error, DWORD(0));
    if (!(granted & (PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION))) {
        object->lock.unlock();
        return fail(ERROR_ACCESS_DENIED, DWORD(0));
    }
    DWORD id = static_cast<kernel::ProcessObject*>(object)->process_id();
    object->lock.unlock();
    return id;
}

// No process here runs under WOW64: every one is the machine's own kind (Microsoft Learn,
// IsWow64Process: FALSE for a 64-bit process on 64-bit Windows; IsWow64Process2:
// IMAGE_FILE_MACHINE_UNKNOWN for a process not under WOW64, the native machine optional).
// The handle is checked as GetProcessId checks it; no place for the answer is
// ERROR_NOACCESS.
namespace {
DWORD check_query_handle(HANDLE process)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(
        process, kernel::ObjectType::Process, PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, &error);
    if (object == nullptr) return error;
    object->release_reference();
    return ERROR_SUCCESS;
}
}  // namespace

// The instruction cache over what this process wrote as code (Microsoft Learn,
// FlushInstructionCache: applications "should call FlushInstructionCache if they generate
// or modify code in memory"). x86 keeps instruction fetch coherent with stores; other
// machines clear the range. Another process's handle (one it may write to) is taken: its
// code is its own to make coherent, as on x86 here. A bad handle ERROR_INVALID_HANDLE.
BOOL WINAPI FlushInstructionCache(HANDLE hProcess, LPCVOID lpBaseAddress, SIZE_T dwSize)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(hProcess, kernel::ObjectType::Process, 0, &error);
    if (object == nullptr) return fail(error, FALSE);
    bool self = object == kernel::current_process_object();
    object->release_reference();
#if !defined(__x86_64__) && !defined(__i386__)
    if (self && lpBaseAddress != nullptr && dwSize != 0) {
        char* start = static_cast<char*>(const_cast<void*>(lpBaseAddress));
        __builtin___clear_cache(start, start + dwSize);
    }
#else
    (void)self;
    (void)lpBaseAddress;
    (void)dwSize;
#endif
    return TRUE;
}

BOOL WINAPI IsWow64Process(HANDLE hProcess, PBOOL Wow64Process)
{
    if (DWORD error = check_query_handle(hProcess)) return fail(error, FALSE);
    if (Wow64Process == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *Wow64Process = FALSE;
    return TRUE;
}

BOOL WINAPI IsWow64Process2(HANDLE hProcess, USHORT* pProcessMachine, USHORT* pNativeMachine)
{
    if (DWORD error = check_query_handle(hProcess)) return fail(error, FALSE);
    if (pProcessMachine == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *pProcessMachine = IMAGE_FILE_MACHINE_UNKNOWN;
#if defined(__aarch64__)
    if (pNativeMachine != nullptr) *pNativeMachine = IMAGE_FILE_MACHINE_ARM64;
#elif defined(__x86_64__)
    if (pNativeMachine != nullptr) *pNativeMachine = IMAGE_FILE_MACHINE_AMD64;
#elif defined(__i386__)
    if (pNativeMachine != nullptr) *pNativeMachine = IMAGE_FILE_MACHINE_I386;
#else
    if (pNativeMachine != nullptr) *pNativeMachine = IMAGE_FILE_MACHINE_UNKNOWN;
#endif
    return TRUE;
}

// No process here has a message queue (there are no windows), and Microsoft Learn's
// WaitForInputIdle "returns immediately" for a console process or one without a message
// queue: with WAIT_FAILED, as Wine's (its server has no idle event for such a process)
// and as .NET's Process.WaitForInputIdle expects (it throws "the process does not have a
// graphical interface" for any answer but 0 and WAIT_TIMEOUT), the last error left as it
// was. The handle is checked as GetProcessId checks it.
DWORD WINAPI WaitForInputIdle(HANDLE hProcess, DWORD dwMilliseconds)
{
    (void)dwMilliseconds;
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object =
        kernel::handle_reference_granted(hProcess, kernel::ObjectType::Process, 0, &granted, &error);
    if (object == nullptr) return fail(error, WAIT_FAILED);
    object->release_reference();
    if (!(granted & (PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION)))
        return fail(ERROR_ACCESS_DENIED, WAIT_FAILED);
    return WAIT_FAILED;
}

// This process: the handles open in its table (the library's own, without Windows'
// system handles: a new process starts at 0). Another process's table is out of reach
// (ERROR_NOT_SUPPORTED, docs/deviations.md). The handle needs a query right.
BOOL WINAPI GetProcessHandleCount(HANDLE hProcess, PDWORD pdwHandleCount)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(
        hProcess, kernel::ObjectType::Process, PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, &error);
    if (object == nullptr) return fail(error, FALSE);
    bool self = object == kernel::current_process_object();
    object->release_reference();
    if (!self) return fail(ERROR_NOT_SUPPORTED, FALSE);
    if (pdwHandleCount == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *pdwHandleCount = kernel::handle_count_open();
    return TRUE;
}

HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)
{
    kernel::Object* object = nullptr;
    if (dwProcessId == static_cast<DWORD>(getpid())) {
        object = kernel::current_process_object();
        object->add_reference();
    } else if (kernel::ProcessObject* child = kernel::process_find_child(dwProcessId)) {
        object = child;
    } else if (dwProcessId == 0) {
        return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));  // the idle process
    } else {
        DWORD error;
        object = drivers::process_open_foreign(dwProcessId, &error);  // waitable; its exit code is its parent's
        if (object == nullptr) return fail(error, HANDLE(nullptr));
    }
    DWORD error;
    HANDLE handle = kernel::handle_create(object, dwDesiredAccess, bInheritHandle ? HANDLE_FLAG_INHERIT : 0, &error);
    if (handle == nullptr) return fail(error, HANDLE(nullptr));
    return handle;
}

// ---- Command line

LPSTR WINAPI GetCommandLineA(void) { return const_cast<char*>(command_line_utf8().c_str()); }

LPWSTR WINAPI GetCommandLineW(void)
{
    static std::u16string* line = new std::u16string(win32::utf16_from_utf8(command_line_utf8()));
    return reinterpret_cast<LPWSTR>(const_cast<char16_t*>(line->c_str()));
}

// ---- Environment

DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize)
{
    if (lpName == nullptr) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    std::string value;
    {
        std::lock_guard<std::mutex> guard(environment_mutex);
        std::string actual;
        const char* found = find_variable(lpName, &actual);
        if (found == nullptr) return fail(ERROR_ENVVAR_NOT_FOUND, DWORD(0));
        value = found;
    }
    return copy_out(value, lpBuffer, nSize);  // the last error as it was, as Windows leaves it
}

DWORD WINAPI GetEnvironmentVariableW(LPCWSTR lpName, LPWSTR lpBuffer, DWORD nSize)
{
    // No name names no variable (Wine's kernel32 environ test, which passes on Windows;
    // the A form may also say ERROR_INVALID_PARAMETER there, and does here).
    if (lpName == nullptr) return fail(ERROR_ENVVAR_NOT_FOUND, DWORD(0));
    std::string name = win32::utf8_from_utf16(lpName);
    std::string value;
    {
        std::lock_guard<std::mutex> guard(environment_mutex);
        std::string actual;
        const char* found = find_variable(name, &actual);
        if (found == nullptr) return fail(ERROR_ENVVAR_NOT_FOUND, DWORD(0));
        value = found;
    }
    std::u16string wide = win32::utf16_from_utf8(value);
    return copy_out(wide, reinterpret_cast<char16_t*>(lpBuffer), nSize);
}

// ExpandEnvironmentStringsW as Windows' RtlExpandEnvironmentStrings does it (Wine's
// kernel32 environ test records every case): %NAME% of a variable (names without case)
// becomes its value, anything else stays as it is; the count returned is the expanded
// length with its terminator. A buffer too small still gets what fits: each literal
// character while one more would leave room for a terminator, each value whole with its
// terminator; the first value that does not fit leaves a terminator in its place and ends
// the writing; the final terminator only when all of it fits.
DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize)
{
    std::u16string source;
    if (lpSrc != nullptr)
        for (const WCHAR* c = lpSrc; *c != 0; ++c) source += static_cast<char16_t>(*c);
    if (lpDst == nullptr) nSize = 0;
    size_t at = 0, total = 0;
    bool stopped = false;  // a value did not fit
    auto literal = [&](char16_t c) {
        ++total;
        if (!stopped && at + 1 < nSize) lpDst[at++] = c;
    };
    for (size_t i = 0; i < source.size();) {
        if (source[i] == u'%') {
            size_t end = source.find(u'%', i + 1);
            if (end != std::u16string::npos && end > i + 1) {
                std::string name = win32::utf8_from_utf16(reinterpret_cast<const WCHAR*>(source.data() + i + 1),
                                                          end - i - 1);
                std::string value;
                bool found;
                {
                    std::lock_guard<std::mutex> guard(environment_mutex);
                    std::string actual;
                    const char* text = find_variable(name, &actual);
                    found = text != nullptr;
                    if (found) value = text;
                }
                if (found) {
                    std::u16string wide = win32::utf16_from_utf8(value);
                    total += wide.size();
                    if (stopped) {
                    } else if (at + wide.size() + 1 <= nSize) {
                        std::copy(wide.begin(), wide.end(), lpDst + at);
                        at += wide.size();
                        lpDst[at] = 0;
                    } else {
                        if (at < nSize) lpDst[at] = 0;
                        stopped = true;
                    }
                    i = end + 1;
                    continue;
                }
            }
        }
        literal(source[i++]);
    }
    if (!stopped && total + 1 <= nSize) lpDst[at] = 0;
    return static_cast<DWORD>(total + 1);
}

// The ANSI form needs room for one character more than the expansion and its terminator
// (Windows converts through a buffer of that size): with less it writes an empty string
// and asks for that much; with enough it returns the length with the terminator.
DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR lpSrc, LPSTR lpDst, DWORD nSize)
{
    std::u16string source = win32::utf16_from_utf8(lpSrc != nullptr ? lpSrc : "");
    source.push_back(0);
    DWORD wide_count = ExpandEnvironmentStringsW(reinterpret_cast<LPCWSTR>(source.data()), nullptr, 0);
    std::u16string wide(wide_count, u'\0');
    ExpandEnvironmentStringsW(reinterpret_cast<LPCWSTR>(source.data()), reinterpret_cast<LPWSTR>(wide.data()),
                              wide_count);
    std::string expanded = win32::utf8_from_utf16(reinterpret_cast<const WCHAR*>(wide.data()), wide_count - 1);
    DWORD needed = static_cast<DWORD>(expanded.size() + 2);
    if (nSize < needed) {
        if (lpDst != nullptr) lpDst[0] = '\0';
        return needed;
    }
    memcpy(lpDst, expanded.c_str(), expanded.size() + 1);
    return static_cast<DWORD>(expanded.size() + 1);
}

}  // extern "C"

namespace {

// The user's name (the password database's, else $USER, else the number).
std::string user_name()
{
    char buffer[4096];
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr)
        return found->pw_name;
    if (const char* name = getenv("USER")) return name;
    return std::to_string(geteuid());
}

// GetUserName's protocol: the size with the terminator, in and out; a buffer too small
// gets ERROR_INSUFFICIENT_BUFFER and the size needed.
template <class Char>
BOOL copy_user_name(const std::basic_string<Char>& name, Char* buffer, LPDWORD size)
{
    if (size == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (buffer == nullptr || *size < name.size() + 1) {
        *size = static_cast<DWORD>(name.size() + 1);
        return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    }
    std::copy(name.begin(), name.end(), buffer);
    buffer[name.size()] = 0;
    *size = static_cast<DWORD>(name.size() + 1);
    return TRUE;
}

}  // namespace

extern "C" {

BOOL WINAPI GetUserNameA(LPSTR lpBuffer, LPDWORD pcbBuffer)
{
    return copy_user_name(user_name(), lpBuffer, pcbBuffer);
}

BOOL WINAPI GetUserNameW(LPWSTR lpBuffer, LPDWORD pcbBuffer)
{
    std::u16string wide = win32::utf16_from_utf8(user_name());
    return copy_user_name(wide, reinterpret_cast<char16_t*>(lpBuffer), pcbBuffer);
}

// A name may not be empty nor hold '=' after its first character (Windows' ntdll
// conformance test: "me=too" is refused, "=too" and "=" are names). Removing a variable
// that does not exist succeeds (the same test).
BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue)
{
    if (lpName == nullptr || lpName[0] == '\0' || strchr(lpName + 1, '=') != nullptr)
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::lock_guard<std::mutex> guard(environment_mutex);
    if (lpName[0] == '=') {
        if (!set_equals_variable(lpName, lpValue)) return fail(ERROR_NOT_ENOUGH_MEMORY, FALSE);
        return TRUE;
    }
    std::string actual;
    bool existed = find_variable(lpName, &actual) != nullptr;
    if (!existed) actual = lpName;
    if (lpValue == nullptr) {
        if (existed) unsetenv(actual.c_str());
        return TRUE;
    }
    if (setenv(actual.c_str(), lpValue, 1) != 0) return fail(ERROR_NOT_ENOUGH_MEMORY, FALSE);
    return TRUE;
}

BOOL WINAPI SetEnvironmentVariableW(LPCWSTR lpName, LPCWSTR lpValue)
{
    if (lpName == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string name = win32::utf8_from_utf16(lpName);
    std::string value = optional_utf8(lpValue);
    return SetEnvironmentVariableA(name.c_str(), lpValue != nullptr ? value.c_str() : nullptr);
}

LPCH WINAPI GetEnvironmentStringsA(void)
{
    std::string block;
    {
        std::lock_guard<std::mutex> guard(environment_mutex);
        for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
            block += *entry;
            block += '\0';
        }
    }
    block += '\0';
    if (block.size() == 1) block += '\0';
    auto* copy = static_cast<char*>(malloc(block.size()));
    if (copy == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, LPCH(nullptr));
    memcpy(copy, block.data(), block.size());
    return copy;
}

LPCH WINAPI GetEnvironmentStrings(void) { return GetEnvironmentStringsA(); }

LPWCH WINAPI GetEnvironmentStringsW(void)
{
    std::u16string block;
    {
        std::lock_guard<std::mutex> guard(environment_mutex);
        for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
            block += win32::utf16_from_utf8(*entry, strlen(*entry));
            block += u'\0';
        }
    }
    block += u'\0';
    if (block.size() == 1) block += u'\0';
    auto* copy = static_cast<char16_t*>(malloc(block.size() * sizeof(char16_t)));
    if (copy == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, LPWCH(nullptr));
    memcpy(copy, block.data(), block.size() * sizeof(char16_t));
    return reinterpret_cast<LPWCH>(copy);
}

BOOL WINAPI FreeEnvironmentStringsA(LPCH penv)
{
    free(penv);
    return TRUE;
}

BOOL WINAPI FreeEnvironmentStringsW(LPWCH penv)
{
    free(penv);
    return TRUE;
}

// ---- Current directory and the module's name

DWORD WINAPI GetCurrentDirectoryA(DWORD nBufferLength, LPSTR lpBuffer)
{
    char path[PATH_MAX];
    if (getcwd(path, sizeof path) == nullptr) return fail(win32_error_from_errno(errno), DWORD(0));
    return copy_out(std::string(path), lpBuffer, nBufferLength);
}

DWORD WINAPI GetCurrentDirectoryW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    char path[PATH_MAX];
    if (getcwd(path, sizeof path) == nullptr) return fail(win32_error_from_errno(errno), DWORD(0));
    return copy_out(win32::utf16_from_utf8(path, strlen(path)), reinterpret_cast<char16_t*>(lpBuffer), nBufferLength);
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR lpPathName)
{
    if (lpPathName == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string linux_path;
    DWORD error = drivers::file_linux_path(lpPathName, &linux_path);
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    // Windows opens the directory (FILE_TRAVERSE, sharing reading and writing) and keeps
    // that handle: the open meets the share modes of this process's handles.
    struct stat status;
    if (stat(linux_path.c_str(), &status) == 0 && S_ISDIR(status.st_mode))
        if (DWORD refused = drivers::file_share_check(status.st_dev, status.st_ino, FILE_TRAVERSE | SYNCHRONIZE,
                                                      FILE_SHARE_READ | FILE_SHARE_WRITE))
            return fail(refused, FALSE);
    if (chdir(linux_path.c_str()) != 0) {
        int e = errno;
        if (e == ENOENT) {
            // As Windows: ERROR_FILE_NOT_FOUND when only the last directory is missing,
            // ERROR_PATH_NOT_FOUND when one before it is (Wine's test_SetCurrentDirectoryA).
            while (linux_path.size() > 1 && linux_path.back() == '/') linux_path.pop_back();
            return fail(win32::missing_path_error(linux_path), FALSE);
        }
        // A file named: ERROR_DIRECTORY (the open asks for a directory); a file on the
        // way to the name: ERROR_PATH_NOT_FOUND, as NTFS fails a path through a file.
        if (e == ENOTDIR) return fail(stat(linux_path.c_str(), &status) == 0 ? ERROR_DIRECTORY : ERROR_PATH_NOT_FOUND, FALSE);
        return fail(win32_error_from_errno(e), FALSE);
    }
    return TRUE;
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR lpPathName)
{
    if (lpPathName == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string path = win32::utf8_from_utf16(lpPathName);
    return SetCurrentDirectoryA(path.c_str());
}

DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize)
{
    char path[PATH_MAX];
    ssize_t length;
    std::string module;
    if (win32::module_path(hModule, &module)) {  // this library, as a system DLL
        length = static_cast<ssize_t>(std::min(module.size(), sizeof path - 1));
        memcpy(path, module.data(), static_cast<size_t>(length));
    } else {
        if (hModule != nullptr && hModule != GetModuleHandleA(nullptr)) return fail(ERROR_MOD_NOT_FOUND, DWORD(0));
        length = readlink("/proc/self/exe", path, sizeof path - 1);
        if (length < 0) return fail(win32_error_from_errno(errno), DWORD(0));
    }
    if (nSize == 0 || lpFilename == nullptr) return fail(ERROR_INSUFFICIENT_BUFFER, DWORD(0));
    size_t n = static_cast<size_t>(length);
    if (n >= nSize) {  // truncated, terminated, as Windows (Vista and later) does
        memcpy(lpFilename, path, nSize - 1);
        lpFilename[nSize - 1] = '\0';
        return fail(ERROR_INSUFFICIENT_BUFFER, nSize);
    }
    memcpy(lpFilename, path, n);
    lpFilename[n] = '\0';
    win32::set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(n);
}

// The program of a process (/proc/PID/exe, a Linux path, as GetModuleFileName gives; for
// a process that has ended, the one its object recorded while it ran, as Windows still
// names it: Wine's kernel32 process test, test_dead_process); PROCESS_NAME_NATIVE's device
// paths are not built (ERROR_CALL_NOT_IMPLEMENTED). The handle needs a query right
// (Microsoft Learn, QueryFullProcessImageName). A buffer too small fails with
// ERROR_INSUFFICIENT_BUFFER, leaving the buffer and the size as they were.
BOOL WINAPI QueryFullProcessImageNameA(HANDLE hProcess, DWORD dwFlags, LPSTR lpExeName, PDWORD lpdwSize)
{
    if (dwFlags & ~DWORD(PROCESS_NAME_NATIVE)) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (dwFlags & PROCESS_NAME_NATIVE) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(
        hProcess, kernel::ObjectType::Process, PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, &error);
    if (object == nullptr) return fail(error, FALSE);
    auto* process = static_cast<kernel::ProcessObject*>(object);
    process->lock.lock();
    DWORD pid = process->process_id();
    bool ended = object != kernel::current_process_object() && process->exited();
    std::string recorded = process->image();
    process->lock.unlock();
    object->release_reference();
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%lu/exe", static_cast<unsigned long>(pid));
    ssize_t length = ended ? -1 : readlink(link, path, sizeof path - 1);
    if (length < 0 && !recorded.empty()) {
        char resolved[PATH_MAX];
        const char* image = realpath(recorded.c_str(), resolved) != nullptr ? resolved : recorded.c_str();
        size_t size = strlen(image);
        if (size < sizeof path) {
            memcpy(path, image, size);
            length = static_cast<ssize_t>(size);
        }
    }
    if (length < 0) return fail(ended || errno == ENOENT ? ERROR_INVALID_PARAMETER : ERROR_ACCESS_DENIED, FALSE);
    if (lpdwSize == nullptr || lpExeName == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (static_cast<DWORD>(length) >= *lpdwSize) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    memcpy(lpExeName, path, static_cast<size_t>(length));
    lpExeName[length] = '\0';
    *lpdwSize = static_cast<DWORD>(length);
    return TRUE;
}

BOOL WINAPI QueryFullProcessImageNameW(HANDLE hProcess, DWORD dwFlags, LPWSTR lpExeName, PDWORD lpdwSize)
{
    char path[PATH_MAX];
    DWORD length = sizeof path;
    if (!QueryFullProcessImageNameA(hProcess, dwFlags, path, &length)) return FALSE;
    std::u16string wide = win32::utf16_from_utf8(path, length);
    if (lpdwSize == nullptr || lpExeName == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (wide.size() >= *lpdwSize) return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    memcpy(lpExeName, wide.data(), wide.size() * sizeof(WCHAR));
    lpExeName[wide.size()] = 0;
    *lpdwSize = static_cast<DWORD>(wide.size());
    return TRUE;
}

DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize)
{
    char path[PATH_MAX];
    DWORD length = GetModuleFileNameA(hModule, path, sizeof path);
    if (length == 0) return 0;
    std::u16string wide = win32::utf16_from_utf8(path, length);
    if (nSize == 0 || lpFilename == nullptr) return fail(ERROR_INSUFFICIENT_BUFFER, DWORD(0));
    if (wide.size() >= nSize) {
        memcpy(lpFilename, wide.data(), (nSize - 1) * sizeof(WCHAR));
        lpFilename[nSize - 1] = 0;
        return fail(ERROR_INSUFFICIENT_BUFFER, nSize);
    }
    memcpy(lpFilename, wide.data(), wide.size() * sizeof(WCHAR));
    lpFilename[wide.size()] = 0;
    win32::set_last_error(ERROR_SUCCESS);
    return static_cast<DWORD>(wide.size());
}

}  // extern "C"

// fileman_internal.h: the directory of the program's file, "" if unknown.
std::string overlapped::win32::executable_directory()
{
    char buffer[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (length <= 0) return "";
    std::string path(buffer, static_cast<size_t>(length));
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return "";
    return slash == 0 ? "/" : path.substr(0, slash);  // a program in "/" is in "/"
}
