// check.hpp: the harness of the C++ layer's tests (tests/cpp). Every check can fail and
// says where; main() ends with `return ovl_test::finish();`, which prints
// "N passed, M failed" and returns nonzero if anything failed. The same sources build
// with mingw-w64 g++ and run under Wine (tests/run-wine.sh).
#ifndef OVERLAPPED_TESTS_CPP_CHECK_HPP
#define OVERLAPPED_TESTS_CPP_CHECK_HPP

#include <overlapped/overlapped.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ovl_test {
// Atomic: checks run in coroutines on several threads of a context at once.
inline std::atomic<int> passed{0}, failed{0};
inline void record(bool ok, const char *file, int line, const char *what)
{
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::printf("FAIL %s:%d: %s\n", file, line, what);
        std::fflush(stdout);
    }
}
inline void record_eq(unsigned long long a, unsigned long long e, const char *file, int line, const char *what)
{
    if (a == e) {
        ++passed;
    } else {
        ++failed;
        std::printf("FAIL %s:%d: %s: got %llu, expected %llu\n", file, line, what, a, e);
        std::fflush(stdout);
    }
}
// Names the part that runs next, at once (a program that hangs shows where).
inline void section(const char *name)
{
    std::printf("-- %s\n", name);
    std::fflush(stdout);
}
inline int finish()
{
    std::printf("%d passed, %d failed\n", passed.load(), failed.load());
    std::fflush(stdout);
    return failed == 0 ? 0 : 1;
}
inline bool under_wine()
{
    const char *v = std::getenv("OVERLAPPED_UNDER_WINE");
    return v != nullptr && v[0] == '1';
}
// A unique name in the temporary directory.
inline std::string temp_path(const char *stem)
{
    char dir[MAX_PATH];
    DWORD n = GetTempPathA(MAX_PATH, dir);
    std::string path(dir, n);
    path += stem;
    path += "-";
    path += std::to_string(GetCurrentProcessId());
    return path;
}
} // namespace ovl_test

#define CHECK(c) ovl_test::record((c) ? true : false, __FILE__, __LINE__, #c)
#define CHECK_EQ(a, e) \
    ovl_test::record_eq((unsigned long long)(a), (unsigned long long)(e), __FILE__, __LINE__, #a " == " #e)

#endif
