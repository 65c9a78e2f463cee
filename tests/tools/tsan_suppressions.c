/* tsan_suppressions.c: linked into the Win32 tests of a ThreadSanitizer build
 * (-DOVERLAPPED_SANITIZE=thread).
 *
 * A Windows program may read OVERLAPPED.Internal while its request is in progress:
 * HasOverlappedIoCompleted does exactly that, and the socket tests check that a request
 * just issued shows STATUS_PENDING before they make it complete. That plain read in the
 * program races, by the Windows contract, with the library's store of the result
 * (io/request.cpp, write_result: InternalHigh, then Internal with release order). It is
 * not a bug of either side, so ThreadSanitizer is told not to report it. The hook has to
 * be in the program: libtsan comes first in the search order and would answer for a
 * definition in the library. */
const char *__tsan_default_suppressions(void);

const char *__tsan_default_suppressions(void)
{
    return "race:write_result\n";
}
