// modules.cpp: GetModuleHandle, LoadLibrary, GetProcAddress, FreeLibrary.
//
// There are no DLLs here. The system DLLs a Windows program names (kernel32, kernelbase,
// ntdll, ws2_32, mswsock, advapi32) are this library: their module handle is its load
// address, and GetProcAddress finds in it the functions it exports under their Win32
// names (Winsock's lower-case names under "overlapped_<name>", as the headers call them).
// A program probing for a newer API at run time this way finds what the library has. The
// program itself is the module GetModuleHandle(NULL) gives: its load address. Any other
// module is not found (ERROR_MOD_NOT_FOUND).
#include <dlfcn.h>
#include <link.h>

#include <cctype>
#include <cstring>
#include <string>

#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// This library's load address and dlopen handle.
struct Self {
    HMODULE base = nullptr;
    void* handle = nullptr;
    std::string path;
};

const Self& self()
{
    static const Self* instance = [] {
        auto* s = new Self();
        Dl_info info{};
        if (dladdr(reinterpret_cast<void*>(&self), &info) != 0) {
            s->base = static_cast<HMODULE>(info.dli_fbase);
            if (info.dli_fname != nullptr) {
                s->path = info.dli_fname;
                s->handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
            }
        }
        if (s->handle == nullptr) s->handle = RTLD_DEFAULT;  // linked statically into the program
        return s;
    }();
    return *instance;
}

// The program's load address (its first loaded segment).
HMODULE program_base()
{
    static HMODULE base = [] {
        HMODULE found = nullptr;
        dl_iterate_phdr(
            [](dl_phdr_info* info, size_t, void* data) {
                uintptr_t lowest = UINTPTR_MAX;
                for (int i = 0; i < info->dlpi_phnum; ++i)
                    if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < lowest)
                        lowest = info->dlpi_phdr[i].p_vaddr;
                if (lowest == UINTPTR_MAX) lowest = 0;
                *static_cast<HMODULE*>(data) = reinterpret_cast<HMODULE>((info->dlpi_addr + lowest) & ~uintptr_t(0xFFF));
                return 1;  // the first object is the program
            },
            &found);
        return found;
    }();
    return base;
}

// Whether `name` (a path or a file name, any case, ".dll" or not) names a system DLL.
bool system_module(std::string name)
{
    size_t slash = name.find_last_of("\\/");
    if (slash != std::string::npos) name = name.substr(slash + 1);
    for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".dll") == 0) name.resize(name.size() - 4);
    static const char* const names[] = {"kernel32", "kernelbase", "ntdll", "ws2_32", "mswsock", "advapi32"};
    for (const char* known : names)
        if (name == known) return true;
    return false;
}

HMODULE module_of(const std::string& name)
{
    if (system_module(name)) return self().base;
    return fail(ERROR_MOD_NOT_FOUND, HMODULE(nullptr));
}

}  // namespace

namespace overlapped::win32 {

bool system_module_handle(HMODULE module) { return module != nullptr && module == self().base; }

bool module_path(HMODULE module, std::string* path)
{
    if (module == nullptr || module == program_base()) return false;  // the program: its caller's
    if (module != self().base || self().path.empty()) return false;
    *path = self().path;
    return true;
}

}  // namespace overlapped::win32

extern "C" {

HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName)
{
    if (lpModuleName == nullptr) return program_base();
    return module_of(lpModuleName);
}

HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName)
{
    if (lpModuleName == nullptr) return program_base();
    return module_of(win32::utf8_from_utf16(lpModuleName));
}

HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName)
{
    if (lpLibFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, HMODULE(nullptr));
    return module_of(lpLibFileName);
}

HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName)
{
    if (lpLibFileName == nullptr) return fail(ERROR_INVALID_PARAMETER, HMODULE(nullptr));
    return module_of(win32::utf8_from_utf16(lpLibFileName));
}

HMODULE WINAPI LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    (void)dwFlags;
    if (hFile != nullptr) return fail(ERROR_INVALID_PARAMETER, HMODULE(nullptr));
    return LoadLibraryA(lpLibFileName);
}

HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    (void)dwFlags;
    if (hFile != nullptr) return fail(ERROR_INVALID_PARAMETER, HMODULE(nullptr));
    return LoadLibraryW(lpLibFileName);
}

// The system modules stay loaded (as they do on Windows for a program that uses them).
BOOL WINAPI FreeLibrary(HMODULE hLibModule)
{
    if (hLibModule != self().base && hLibModule != program_base()) return fail(ERROR_INVALID_HANDLE, FALSE);
    return TRUE;
}

// A function this library exports, by its Win32 name; ordinals are not known
// (ERROR_PROC_NOT_FOUND), nor is anything in the program's own module (NULL names it too);
// a handle that is no module is ERROR_MOD_NOT_FOUND (Wine's kernel32 module.c
// testGetProcAddress_Wrong, which passes on Windows).
FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    if (hModule != self().base)
        return fail(hModule == nullptr || hModule == program_base() ? ERROR_PROC_NOT_FOUND : ERROR_MOD_NOT_FOUND,
                    FARPROC(nullptr));
    if (reinterpret_cast<uintptr_t>(lpProcName) < 0x10000) return fail(ERROR_PROC_NOT_FOUND, FARPROC(nullptr));
    for (const std::string& name : {std::string("overlapped_") + lpProcName, std::string(lpProcName)}) {
        void* found = dlsym(self().handle, name.c_str());
        Dl_info info{};
        // Only what this library itself defines (dlsym also searches its dependencies).
        if (found != nullptr && dladdr(found, &info) != 0 && info.dli_fbase == self().base)
            return reinterpret_cast<FARPROC>(found);
    }
    return fail(ERROR_PROC_NOT_FOUND, FARPROC(nullptr));
}

}  // extern "C"
