// find_files.cpp: FindFirstFileA/W, FindFirstFileExA/W, FindNextFileA/W, FindClose:
// directory enumeration with Windows' wildcard rules. docs/files-management.md;
// the Windows facts in docs/research/windows-files-management.md.
//
// A find handle is what kernelbase makes of it on Windows: a pointer to the search's own
// memory, not an entry of the handle table. FindClose frees it; CloseHandle,
// WaitForSingleObject and the like fail on it with ERROR_INVALID_HANDLE (our handle
// values are below 2^31, these pointers far above). The live searches are kept in a set
// so that a stale or foreign value is refused instead of followed.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <cwctype>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>

#include "common/errors.h"
#include "drivers/file.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace overlapped::win32 {

// ---- Windows' name matching (FsRtlIsNameInExpression with the DOS wildcards).

namespace {
constexpr char16_t kDosStar = u'<';  // zero or more characters up to the name's last '.'
constexpr char16_t kDosQm = u'>';    // one character, or none at a '.' or at the end
constexpr char16_t kDosDot = u'"';   // a '.', or nothing at the end of the name
}  // namespace

char16_t fold_case(char16_t c)
{
    if (c < 0x80) return (c >= u'a' && c <= u'z') ? static_cast<char16_t>(c - 32) : c;
    wint_t upper = towupper(static_cast<wint_t>(c));
    return upper <= 0xFFFF ? static_cast<char16_t>(upper) : c;
}

std::u16string find_expression(const std::u16string& mask)
{
    // As kernelbase: a trailing '.' is dropped (it asks that the name have no extension,
    // which the '*' before it becomes DOS_STAR for); "*.*" is everything; then '?' is
    // DOS_QM, a '*' before a '.' DOS_STAR, a '.' before a wildcard DOS_DOT.
    std::u16string text = mask;
    bool dropped_dot = false;
    if (text.size() > 1 && text.back() == u'.' && text != u"..") {
        text.pop_back();
        dropped_dot = true;
    }
    if (text == u"*.*") return u"*";
    std::u16string out;
    for (size_t i = 0; i < text.size(); ++i) {
        char16_t c = text[i];
        bool last = i + 1 == text.size();
        char16_t next = last ? 0 : text[i + 1];
        if (c == u'?')
            out += kDosQm;
        else if (c == u'*' && (next == u'.' || (last && dropped_dot)))
            out += kDosStar;
        else if (c == u'.' && (next == u'*' || next == u'?'))
            out += kDosDot;
        else
            out += c;
    }
    return out;
}

bool name_matches(const std::u16string& expression, const std::u16string& name, bool case_sensitive)
{
    const size_t e_count = expression.size(), n_count = name.size();
    // The positions after which a '.' still follows in the name: DOS_STAR may eat a '.'
    // only when it is not the last one.
    std::vector<bool> dot_after(n_count + 1, false);
    for (size_t i = n_count; i-- > 0;) dot_after[i] = dot_after[i + 1] || (i + 1 < n_count && name[i + 1] == u'.');
    // states[e] true: expression position e reachable after consuming the name so far.
    std::vector<char> states(e_count + 1, 0), next(e_count + 1, 0);
    auto close = [&](std::vector<char>& set, size_t n) {  // epsilon moves at name position n
        for (size_t e = 0; e < e_count; ++e) {
            if (!set[e]) continue;
            char16_t c = expression[e];
            bool at_end = n == n_count;
            if (c == u'*' || c == kDosStar || (c == kDosQm && (at_end || name[n] == u'.')) ||
                (c == kDosDot && at_end))
                set[e + 1] = 1;
        }
    };
    states[0] = 1;
    close(states, 0);
    for (size_t n = 0; n < n_count; ++n) {
        std::fill(next.begin(), next.end(), 0);
        char16_t ch = name[n];
        for (size_t e = 0; e < e_count; ++e) {
            if (!states[e]) continue;
            char16_t c = expression[e];
            if (c == u'*') {
                next[e] = 1;
            } else if (c == kDosStar) {
                if (ch != u'.' || dot_after[n]) next[e] = 1;
            } else if (c == u'?') {
                next[e + 1] = 1;
            } else if (c == kDosQm) {
                if (ch != u'.') next[e + 1] = 1;
            } else if (c == kDosDot) {
                if (ch == u'.') next[e + 1] = 1;
            } else if (case_sensitive ? c == ch : fold_case(c) == fold_case(ch)) {
                next[e + 1] = 1;
            }
        }
        close(next, n + 1);
        states.swap(next);
        if (std::find(states.begin(), states.end(), 1) == states.end()) return false;
    }
    return states[e_count] != 0;
}

// ---- stat to Windows' records.

FILETIME filetime_of(const timespec& time)
{
    unsigned long long ticks = (static_cast<unsigned long long>(time.tv_sec) + 11644473600ULL) * 10000000ULL +
                               static_cast<unsigned long long>(time.tv_nsec) / 100;
    FILETIME out;
    out.dwLowDateTime = static_cast<DWORD>(ticks);
    out.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
    return out;
}

DWORD attributes_of(const struct stat& status)
{
    DWORD attributes = 0;
    if (S_ISDIR(status.st_mode)) attributes |= FILE_ATTRIBUTE_DIRECTORY;
    if (!(status.st_mode & 0222)) attributes |= FILE_ATTRIBUTE_READONLY;
    if (attributes == 0) attributes = S_ISREG(status.st_mode) ? FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_NORMAL;
    return attributes;
}

DWORD missing_path_error(const std::string& name)
{
    // A missing last name with a separator after it ("x\") is a missing file too, as
    // NtOpenFile reports it (Wine's kernel32 file.c: CreateFile of "a\" and
    // GetFileAttributesEx of "\DosDevices\" fail with ERROR_FILE_NOT_FOUND on Windows).
    std::string path = name;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ERROR_FILE_NOT_FOUND;
    struct stat parent;
    std::string directory = slash == 0 ? "/" : path.substr(0, slash);
    if (stat(directory.c_str(), &parent) != 0 || !S_ISDIR(parent.st_mode)) return ERROR_PATH_NOT_FOUND;
    return ERROR_FILE_NOT_FOUND;
}

}  // namespace overlapped::win32

namespace {

using overlapped::win32::attributes_of;
using overlapped::win32::filetime_of;

struct Entry {
    std::string name;         // UTF-8
    std::u16string wide;      // UTF-16
    std::u16string key;       // upper-cased, for the NTFS order
    int rank = 2;             // "." 0, ".." 1, others 2: they come first
    DWORD attributes = 0;
    FILETIME created{}, accessed{}, written{};
    ULONGLONG size = 0;
};

struct Search {
    std::vector<Entry> entries;
    size_t next = 0;
};

std::mutex searches_mutex;
std::unordered_set<Search*>* searches = new std::unordered_set<Search*>();  // never freed: usable at exit

// The Linux directories that are drive roots (C: and the mapped letters): Windows lists
// no "." and ".." there.
bool is_drive_root(const std::string& directory)
{
    static const std::vector<std::string>* roots = [] {
        auto* list = new std::vector<std::string>();
        for (char letter = 'A'; letter <= 'Z'; ++letter) {
            char name[4] = {letter, ':', '\\', 0};
            std::string path;
            if (drivers::file_linux_path(name, &path) != ERROR_SUCCESS) continue;
            char resolved[PATH_MAX];
            if (realpath(path.c_str(), resolved) != nullptr) list->push_back(resolved);
        }
        return list;
    }();
    char resolved[PATH_MAX];
    if (realpath(directory.c_str(), resolved) == nullptr) return false;
    return std::find(roots->begin(), roots->end(), std::string(resolved)) != roots->end();
}

// `path` made absolute (from the current directory) with its "." and ".." components
// taken away by their text, as GetFullPathName does: "a/b/.." is "a" whatever "b" is.
DWORD lexical_full_path(const std::string& path, std::string* out)
{
    std::string text = path;
    if (text.empty() || text[0] != '/') {
        char current[PATH_MAX];
        if (getcwd(current, sizeof(current)) == nullptr) return win32_error_from_errno(errno);
        std::string absolute(current);
        absolute.push_back('/');
        absolute.append(text);
        text.swap(absolute);
    }
    *out = overlapped::drivers::collapse_dots(text);  // absolute: "/" at least
    return ERROR_SUCCESS;
}

bool fill_entry(int directory, const char* name, Entry* entry)
{
    struct stat status;
    if (fstatat(directory, name, &status, 0) != 0 && fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) != 0)
        return false;  // gone since readdir
    entry->name = name;
    entry->attributes = attributes_of(status);
    entry->created = filetime_of(status.st_ctim);
    entry->accessed = filetime_of(status.st_atim);
    entry->written = filetime_of(status.st_mtim);
    entry->size = S_ISDIR(status.st_mode) ? 0 : static_cast<ULONGLONG>(status.st_size);
    return true;
}

// NTFS returns a directory in the order of its upper-cased names; "." and ".." first.
void make_key(Entry* entry)
{
    entry->rank = entry->name == "." ? 0 : entry->name == ".." ? 1 : 2;
    entry->key.resize(entry->wide.size());
    for (size_t i = 0; i < entry->wide.size(); ++i) entry->key[i] = win32::fold_case(entry->wide[i]);
}

bool entry_before(const Entry& a, const Entry& b)
{
    if (a.rank != b.rank) return a.rank < b.rank;
    int order = a.key.compare(b.key);
    if (order != 0) return order < 0;
    return a.name < b.name;
}

template <class Data>
void copy_out(const Entry& entry, Data* data)
{
    memset(data, 0, sizeof(*data));
    data->dwFileAttributes = entry.attributes;
    data->ftCreationTime = entry.created;
    data->ftLastAccessTime = entry.accessed;
    data->ftLastWriteTime = entry.written;
    data->nFileSizeHigh = static_cast<DWORD>(entry.size >> 32);
    data->nFileSizeLow = static_cast<DWORD>(entry.size);
    // cAlternateFileName (the 8.3 name) stays empty: Linux file systems have none, and
    // NTFS volumes without short names give the same.
}

void copy_name(const Entry& entry, WIN32_FIND_DATAA* data)
{
    size_t n = std::min(entry.name.size(), static_cast<size_t>(MAX_PATH - 1));
    memcpy(data->cFileName, entry.name.data(), n);
    data->cFileName[n] = 0;
}

void copy_name(const Entry& entry, WIN32_FIND_DATAW* data)
{
    size_t n = std::min(entry.wide.size(), static_cast<size_t>(MAX_PATH - 1));
    memcpy(data->cFileName, entry.wide.data(), n * sizeof(WCHAR));
    data->cFileName[n] = 0;
}

std::string narrow(const char* text) { return text; }
std::string narrow(const WCHAR* text) { return win32::utf8_from_utf16(text); }

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 (any case): the names Win32 maps to devices in
// every directory.
bool is_dos_device(const std::u16string& name)
{
    std::string upper;
    for (char16_t c : name) {
        if (c > 0x7F) return false;
        upper += static_cast<char>(toupper(static_cast<unsigned char>(c)));
    }
    if (upper == "CON" || upper == "PRN" || upper == "AUX" || upper == "NUL") return true;
    return upper.size() == 4 && (upper.compare(0, 3, "COM") == 0 || upper.compare(0, 3, "LPT") == 0) &&
           upper[3] >= '1' && upper[3] <= '9';
}

// The first entry to the caller, and the search made a live find handle.
template <class Data>
HANDLE publish(Search* search, void* out)
{
    auto* data = static_cast<Data*>(out);
    copy_out(search->entries[0], data);
    copy_name(search->entries[0], data);
    search->next = 1;
    {
        std::lock_guard<std::mutex> guard(searches_mutex);
        searches->insert(search);
    }
    // The last error is left as it was: Windows does not clear it on success (ReactOS's
    // FindFiles apitest expects the caller's value back).
    return reinterpret_cast<HANDLE>(search);
}

template <class Data, class Char>
HANDLE find_first(const Char* file_name, FINDEX_INFO_LEVELS level, void* out, FINDEX_SEARCH_OPS op,
                  void* filter, DWORD flags)
{
    if (level != FindExInfoStandard && level != FindExInfoBasic) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if (op != FindExSearchNameMatch && op != FindExSearchLimitToDirectories)
        return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    // lpSearchFilter is reserved and ignored, as on Windows (ReactOS's FindFiles apitest
    // passes a string and expects the search to succeed).
    (void)filter;
    if (flags & ~(FIND_FIRST_EX_CASE_SENSITIVE | FIND_FIRST_EX_LARGE_FETCH | FIND_FIRST_EX_ON_DISK_ENTRIES_ONLY))
        return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    if (file_name == nullptr || out == nullptr) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    std::string name = narrow(file_name);
    if (name.empty()) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);

    // The directory part and the mask (the last component).
    size_t cut = name.find_last_of("\\/");
    std::string directory, mask;
    if (cut == std::string::npos) {
        if (name.size() >= 2 && name[1] == ':' && isalpha(static_cast<unsigned char>(name[0]))) {
            directory.assign(name, 0, 2);  // "C:*": the drive's root (no per-drive current directories)
            directory.push_back('\\');
            mask = name.substr(2);
        } else {
            directory = ".";
            mask = name;
        }
    } else {
        directory = name.substr(0, cut + 1);
        mask = name.substr(cut + 1);
    }
    std::string linux_directory;
    if (DWORD error = drivers::file_linux_path(directory, &linux_directory)) return fail(error, INVALID_HANDLE_VALUE);
    if (linux_directory.empty()) linux_directory.push_back('.');
    if (mask == "." || mask == "..") {
        // Windows makes the name a full path first (RtlDosPathNameToNtPathName_U), which
        // takes "." and ".." away: "dir\." is a search for "dir" in its parent, "." for
        // the current directory by its name; a drive root names no file.
        std::string full;
        std::string joined = linux_directory;
        joined.push_back('/');
        joined.append(mask);
        if (DWORD error = lexical_full_path(joined, &full))
            return fail(error, INVALID_HANDLE_VALUE);
        if (full == "/" || is_drive_root(full)) return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE);
        size_t slash = full.find_last_of('/');
        linux_directory = slash == 0 ? "/" : full.substr(0, slash);
        mask = full.substr(slash + 1);
    }

    int descriptor = ::open(linux_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) {
        int e = errno;
        struct stat status;
        std::string bare = linux_directory;
        while (bare.size() > 1 && bare.back() == '/') bare.pop_back();
        if (e == ENOTDIR && stat(bare.c_str(), &status) == 0) return fail(ERROR_DIRECTORY, INVALID_HANDLE_VALUE);
        if (e == ENOENT || e == ENOTDIR) return fail(ERROR_PATH_NOT_FOUND, INVALID_HANDLE_VALUE);
        return fail(win32_error_from_errno(e), INVALID_HANDLE_VALUE);
    }
    // A path that ends in a separator names no file: Windows looks for nothing in it.
    if (mask.empty()) {
        ::close(descriptor);
        return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE);
    }
    std::u16string wide_mask = win32::utf16_from_utf8(mask);
    bool has_wildcard = wide_mask.find_first_of(u"*?<>\"") != std::u16string::npos;
    if (!has_wildcard) {
        // A plain name: the Win32 path rules drop its trailing dots and spaces.
        while (wide_mask.size() > 1 && wide_mask != u".." && (wide_mask.back() == u'.' || wide_mask.back() == u' '))
            wide_mask.pop_back();
    }
    if (!has_wildcard && is_dos_device(wide_mask)) {
        // As Windows: a DOS device name in an existing directory is found as one entry of
        // that name (attributes FILE_ATTRIBUTE_ARCHIVE, size 0), whatever the directory holds.
        ::close(descriptor);
        auto* search = new Search();
        Entry entry;
        entry.wide = wide_mask;
        entry.name = win32::utf8_from_utf16(wide_mask.c_str(), wide_mask.size());
        entry.attributes = FILE_ATTRIBUTE_ARCHIVE;
        search->entries.push_back(std::move(entry));
        return publish<Data>(search, out);
    }
    std::u16string expression = has_wildcard ? win32::find_expression(wide_mask) : wide_mask;
    bool case_sensitive = (flags & FIND_FIRST_EX_CASE_SENSITIVE) != 0;
    bool skip_dots = is_drive_root(linux_directory);
    bool match_all = expression == u"*";  // "*" and "*.*": every name, no matching needed

    DIR* stream = fdopendir(descriptor);
    if (stream == nullptr) {
        DWORD error = win32_error_from_errno(errno);
        ::close(descriptor);
        return fail(error, INVALID_HANDLE_VALUE);
    }
    auto* search = new Search();
    errno = 0;
    while (struct dirent* item = readdir(stream)) {
        bool dot = strcmp(item->d_name, ".") == 0 || strcmp(item->d_name, "..") == 0;
        if (dot && skip_dots) continue;
        std::u16string entry_name = win32::utf16_from_utf8(item->d_name, strlen(item->d_name));
        if (!match_all && !win32::name_matches(expression, entry_name, case_sensitive)) continue;
        Entry entry;
        if (fill_entry(dirfd(stream), item->d_name, &entry)) {
            entry.wide = std::move(entry_name);
            make_key(&entry);
            search->entries.push_back(std::move(entry));
        }
    }
    closedir(stream);
    if (search->entries.empty()) {
        delete search;
        return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE);
    }
    std::sort(search->entries.begin(), search->entries.end(), entry_before);
    return publish<Data>(search, out);
}

template <class Data>
BOOL find_next(HANDLE handle, Data* data)
{
    auto* search = reinterpret_cast<Search*>(handle);
    std::lock_guard<std::mutex> guard(searches_mutex);
    if (searches->count(search) == 0) return fail(ERROR_INVALID_HANDLE, FALSE);
    if (data == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (search->next >= search->entries.size()) return fail(ERROR_NO_MORE_FILES, FALSE);
    const Entry& entry = search->entries[search->next++];
    copy_out(entry, data);
    copy_name(entry, data);
    return TRUE;
}

}  // namespace

extern "C" {

HANDLE WINAPI FindFirstFileA(LPCSTR lpFileName, LPWIN32_FIND_DATAA lpFindFileData)
{
    return find_first<WIN32_FIND_DATAA>(lpFileName, FindExInfoStandard, lpFindFileData, FindExSearchNameMatch,
                                        nullptr, 0);
}

HANDLE WINAPI FindFirstFileW(LPCWSTR lpFileName, LPWIN32_FIND_DATAW lpFindFileData)
{
    return find_first<WIN32_FIND_DATAW>(lpFileName, FindExInfoStandard, lpFindFileData, FindExSearchNameMatch,
                                        nullptr, 0);
}

HANDLE WINAPI FindFirstFileExA(LPCSTR lpFileName, FINDEX_INFO_LEVELS fInfoLevelId, LPVOID lpFindFileData,
                               FINDEX_SEARCH_OPS fSearchOp, LPVOID lpSearchFilter, DWORD dwAdditionalFlags)
{
    return find_first<WIN32_FIND_DATAA>(lpFileName, fInfoLevelId, lpFindFileData, fSearchOp, lpSearchFilter,
                                        dwAdditionalFlags);
}

HANDLE WINAPI FindFirstFileExW(LPCWSTR lpFileName, FINDEX_INFO_LEVELS fInfoLevelId, LPVOID lpFindFileData,
                               FINDEX_SEARCH_OPS fSearchOp, LPVOID lpSearchFilter, DWORD dwAdditionalFlags)
{
    return find_first<WIN32_FIND_DATAW>(lpFileName, fInfoLevelId, lpFindFileData, fSearchOp, lpSearchFilter,
                                        dwAdditionalFlags);
}

BOOL WINAPI FindNextFileA(HANDLE hFindFile, LPWIN32_FIND_DATAA lpFindFileData)
{
    return find_next(hFindFile, lpFindFileData);
}

BOOL WINAPI FindNextFileW(HANDLE hFindFile, LPWIN32_FIND_DATAW lpFindFileData)
{
    return find_next(hFindFile, lpFindFileData);
}

BOOL WINAPI FindClose(HANDLE hFindFile)
{
    auto* search = reinterpret_cast<Search*>(hFindFile);
    {
        std::lock_guard<std::mutex> guard(searches_mutex);
        if (searches->erase(search) == 0) return fail(ERROR_INVALID_HANDLE, FALSE);
    }
    delete search;
    return TRUE;
}

}  // extern "C"
