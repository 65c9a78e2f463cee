// locks.cpp: CRITICAL_SECTION, SRWLOCK, CONDITION_VARIABLE, INIT_ONCE and
// SYNCHRONIZATION_BARRIER as user-space futex locks that live entirely in the caller's
// structure (no allocation, no kernel object), and WaitOnAddress.
#include <windows.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <type_traits>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/futex.h"
#include "common/lock.h"
#include "kernel/thread_state.h"
#include "kernel/wait.h"

namespace {

using overlapped::cpu_relax;

// The lock words live inside Windows' own structures; we view each field as an atomic of
// the same size. These asserts make that reinterpretation sound on our targets.
static_assert(sizeof(LONG) == sizeof(std::atomic<uint32_t>) &&
              alignof(LONG) >= alignof(std::atomic<uint32_t>));
static_assert(sizeof(LONG) == sizeof(std::atomic<LONG>) && alignof(LONG) >= alignof(std::atomic<LONG>));
static_assert(sizeof(HANDLE) == sizeof(std::atomic<uintptr_t>) &&
              alignof(HANDLE) >= alignof(std::atomic<uintptr_t>));
static_assert(sizeof(ULONG_PTR) == sizeof(std::atomic<ULONG_PTR>) &&
              alignof(ULONG_PTR) >= alignof(std::atomic<ULONG_PTR>));
static_assert(sizeof(PVOID) == 2 * sizeof(std::atomic<uint32_t>) && alignof(PVOID) >= 8);
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<uintptr_t>::is_always_lock_free &&
              std::atomic<uint64_t>::is_always_lock_free);
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the futex word is the low half of Ptr");

// A lock word inside a Windows structure, used as std::atomic<T> is. A program may place
// the structure at any address (a packed structure: Wine's kernel32 sync tests, which pass
// on Windows, do), where std::atomic's members would be calls on a misaligned object
// (undefined; UBSan stops there). Word has the alignment of a byte and reaches its bytes
// through the atomic built-ins, which take any address (x86 makes misaligned atomics
// work; they are slow only across a cache line). An aligned word costs as std::atomic.
template <typename T>
struct Word {
    unsigned char bytes[sizeof(T)];

    T* raw() { return reinterpret_cast<T*>(bytes); }
    static constexpr int order(std::memory_order o) { return static_cast<int>(o); }
    static constexpr std::memory_order failure_order(std::memory_order o)
    {
        return o == std::memory_order_acq_rel ? std::memory_order_acquire
               : o == std::memory_order_release ? std::memory_order_relaxed
                                                : o;
    }

    T load(std::memory_order o = std::memory_order_seq_cst) { return __atomic_load_n(raw(), order(o)); }
    void store(T value, std::memory_order o = std::memory_order_seq_cst) { __atomic_store_n(raw(), value, order(o)); }
    T exchange(T value, std::memory_order o = std::memory_order_seq_cst)
    {
        return __atomic_exchange_n(raw(), value, order(o));
    }
    T fetch_add(T value, std::memory_order o = std::memory_order_seq_cst)
    {
        return __atomic_fetch_add(raw(), value, order(o));
    }
    T fetch_sub(T value, std::memory_order o = std::memory_order_seq_cst)
    {
        return __atomic_fetch_sub(raw(), value, order(o));
    }
    T fetch_or(T value, std::memory_order o = std::memory_order_seq_cst)
    {
        return __atomic_fetch_or(raw(), value, order(o));
    }
    T fetch_and(T value, std::memory_order o = std::memory_order_seq_cst)
    {
        return __atomic_fetch_and(raw(), value, order(o));
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure)
    {
        return __atomic_compare_exchange_n(raw(), &expected, desired, true, order(success), order(failure));
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order o = std::memory_order_seq_cst)
    {
        return compare_exchange_weak(expected, desired, o, failure_order(o));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success, std::memory_order failure)
    {
        return __atomic_compare_exchange_n(raw(), &expected, desired, false, order(success), order(failure));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order o = std::memory_order_seq_cst)
    {
        return compare_exchange_strong(expected, desired, o, failure_order(o));
    }
};
static_assert(alignof(Word<uint64_t>) == 1 && sizeof(Word<uint32_t>) == 4);

// The word of type T at `field` of the structure `object` points to, reached by the
// field's offset: `&object->field` would be a member access through a misaligned pointer.
#define LOCK_WORD(T, object, field)                         \
    reinterpret_cast<Word<T>*>(reinterpret_cast<char*>(object) + \
                               offsetof(std::remove_pointer_t<decltype(object)>, field))

// The futex(2) view of an aligned word.
std::atomic<uint32_t>* futex_word(Word<uint32_t>* word) { return reinterpret_cast<std::atomic<uint32_t>*>(word); }

// ---- Sleeping on a lock word ----------------------------------------------------------
//
// futex(2) refuses a word that is not 4-byte aligned (EINVAL), but Windows takes these
// structures at any address: Wine's kernel32 sync tests, which pass on Windows, run a
// CONDITION_VARIABLE and an SRWLOCK placed at an odd offset of a packed structure. An
// unaligned word is slept on through an aligned parking word chosen by its address:
// a sleeper reads the parking word, then checks its own word, then sleeps while the
// parking word is unchanged; a waker changes its own word, then advances the parking
// word and wakes every sleeper there (others sharing it find their words unchanged and
// sleep again). Sequentially consistent reads and updates of the two words order them
// as the futex does for one.

struct alignas(64) ParkingWord {
    std::atomic<uint32_t> sequence{0};
    std::atomic<uint32_t> waiters{0};  // WaitOnAddress callers asleep here (below)
};
ParkingWord parking_words[128];

bool futex_aligned(const Word<uint32_t>* word)
{
    return (reinterpret_cast<uintptr_t>(word) & 3) == 0;
}

ParkingWord& parking_for(const volatile void* address)
{
    uintptr_t value = reinterpret_cast<uintptr_t>(address);
    return parking_words[(value ^ (value >> 7)) % 128];
}

// futex_wait for a word at any address: 0 (woken or changed, possibly spuriously),
// ETIMEDOUT or EINTR.
int lock_wait(Word<uint32_t>* word, uint32_t expected, const timespec* deadline)
{
    if (futex_aligned(word)) return overlapped::futex_wait(futex_word(word), expected, deadline);
    std::atomic<uint32_t>* parking = &parking_for(word).sequence;
    // Both reads seq_cst, in this order (ThreadSanitizer takes no fences): a wake whose
    // change of the word this misses advances the parking word after this read of it.
    uint32_t sequence = parking->load(std::memory_order_seq_cst);
    if (word->load(std::memory_order_seq_cst) != expected) return 0;
    return overlapped::futex_wait(parking, sequence, deadline);
}

// futex_wake for a word at any address (an unaligned one wakes all its parking word's
// sleepers, which callers allow: every sleeper re-checks its condition).
void lock_wake(Word<uint32_t>* word, int count)
{
    if (futex_aligned(word)) {
        overlapped::futex_wake(futex_word(word), count);
        return;
    }
    std::atomic<uint32_t>* parking = &parking_for(word).sequence;
    parking->fetch_add(1, std::memory_order_seq_cst);  // after the caller's change of the word
    overlapped::futex_wake(parking, INT_MAX);
}

// The calling thread's kernel thread id, fetched once per thread. (A fork()ed child's thread
// keeps its parent's cached value; a critical section held across fork() is undefined anyway.)
uintptr_t current_tid()
{
    thread_local uintptr_t tid = 0;
    if (tid == 0) tid = static_cast<uintptr_t>(syscall(SYS_gettid));
    return tid;
}

// ---- Critical sections -------------------------------------------------------------------
//
// Field use (Windows' layout, our encoding):
//   LockCount      futex word: 0 free, 1 held, 2 held and someone may be sleeping. (Windows
//                  keeps -1 for "free" here; nothing but the lock functions interprets it.)
//   RecursionCount how many times the owner has entered; written only by the owner.
//   OwningThread   owner's kernel thread id (as a HANDLE-sized integer), 0 when free; only
//                  the owner stores its own id there, so a relaxed load that returns our id
//                  proves we own it.
//   SpinCount      acquisition attempts spent spinning before sleeping.
//   DebugInfo      (PRTL_CRITICAL_SECTION_DEBUG)-1 once initialized, NULL once deleted, as
//                  Windows 8 and later leave it (Wine's kernel32 sync test_crit_section):
//                  programs test it to know whether a section is initialized.
//   LockSemaphore  unused, NULL.
// Every shared field is accessed through atomics, so ThreadSanitizer sees no plain races.

// Windows keeps flags in the top byte of a spin count (RTL_CRITICAL_SECTION_ALL_FLAG_BITS).
constexpr DWORD kSpinCountMask = ~static_cast<DWORD>(RTL_CRITICAL_SECTION_ALL_FLAG_BITS);

Word<uint32_t>* cs_word(LPCRITICAL_SECTION cs) { return LOCK_WORD(uint32_t, cs, LockCount); }
Word<LONG>* cs_recursion(LPCRITICAL_SECTION cs) { return LOCK_WORD(LONG, cs, RecursionCount); }
Word<uintptr_t>* cs_owner(LPCRITICAL_SECTION cs) { return LOCK_WORD(uintptr_t, cs, OwningThread); }
Word<ULONG_PTR>* cs_spin(LPCRITICAL_SECTION cs) { return LOCK_WORD(ULONG_PTR, cs, SpinCount); }

void cs_init(LPCRITICAL_SECTION cs, DWORD spin, bool initialized = true)
{
    LOCK_WORD(uintptr_t, cs, DebugInfo)->store(initialized ? ~uintptr_t(0) : 0, std::memory_order_relaxed);
    LOCK_WORD(uintptr_t, cs, LockSemaphore)->store(0, std::memory_order_relaxed);
    cs_word(cs)->store(0, std::memory_order_relaxed);
    cs_recursion(cs)->store(0, std::memory_order_relaxed);
    cs_owner(cs)->store(0, std::memory_order_relaxed);
    cs_spin(cs)->store(spin & kSpinCountMask, std::memory_order_release);
}

// Takes the lock word (not the recursion bookkeeping): spin SpinCount times, then sleep.
void cs_lock_word(LPCRITICAL_SECTION cs)
{
    Word<uint32_t>* word = cs_word(cs);
    uint32_t expected = 0;
    if (word->compare_exchange_strong(expected, 1, std::memory_order_acquire, std::memory_order_relaxed))
        return;
    ULONG_PTR spins = cs_spin(cs)->load(std::memory_order_relaxed);
    for (ULONG_PTR i = 0; i < spins; ++i) {
        expected = 0;
        if (word->load(std::memory_order_relaxed) == 0 &&
            word->compare_exchange_weak(expected, 1, std::memory_order_acquire, std::memory_order_relaxed))
            return;
        cpu_relax();
    }
    while (word->exchange(2, std::memory_order_acquire) != 0) lock_wait(word, 2, nullptr);
}

void cs_unlock_word(LPCRITICAL_SECTION cs)
{
    if (cs_word(cs)->exchange(0, std::memory_order_release) == 2) lock_wake(cs_word(cs), 1);
}

// Changes the recursion count by `delta` and returns the new count. Only the owner changes
// it (under the lock word), so a plain read and write do: no locked instruction, which on
// a field that straddles two cache lines (a section in a packed structure: RecursionCount
// at offset 63 of a line) is a split lock, which Linux traps and throttles (0.25 ms each
// on this project's test machine, so four threads entering and leaving such a section
// 20,000 times took 7-12 s instead of milliseconds).
LONG cs_recursion_add(LPCRITICAL_SECTION cs, LONG delta)
{
    LONG count = cs_recursion(cs)->load(std::memory_order_relaxed) + delta;
    cs_recursion(cs)->store(count, std::memory_order_relaxed);
    return count;
}

void cs_set_owner(LPCRITICAL_SECTION cs, uintptr_t tid, LONG recursion)
{
    cs_owner(cs)->store(tid, std::memory_order_relaxed);
    cs_recursion(cs)->store(recursion, std::memory_order_relaxed);
}

// ---- SRW locks ---------------------------------------------------------------------------
//
// The pointer-sized word is two 32-bit atomics (little endian: the state is the low half):
//   state (low)   bit 31 held exclusive, bit 30 someone may be sleeping on `state`,
//                 bits 0..29 number of shared holders. Zero = unlocked, as SRWLOCK_INIT.
//   writers (high) threads waiting for exclusive access; while non-zero new shared
//                 acquisitions wait (writer preference).
// Releases that find the sleeper bit set clear it and wake every sleeper, which re-checks
// and, if it must wait again, sets the bit again. Simple and correct; the herd is small.

constexpr uint32_t kSrwExclusive = 0x80000000u;
constexpr uint32_t kSrwSleepers = 0x40000000u;
constexpr uint32_t kSrwReaders = 0x3FFFFFFFu;

Word<uint32_t>* srw_state(PSRWLOCK lock) { return LOCK_WORD(uint32_t, lock, Ptr); }
Word<uint32_t>* srw_writers(PSRWLOCK lock) { return LOCK_WORD(uint32_t, lock, Ptr) + 1; }

// Sets the sleeper bit on `s` (if still the state) and sleeps while the state stays so.
void srw_sleep(Word<uint32_t>* state, uint32_t s)
{
    if (!(s & kSrwSleepers)) {
        if (!state->compare_exchange_strong(s, s | kSrwSleepers, std::memory_order_relaxed,
                                            std::memory_order_relaxed))
            return;  // the state moved: re-check instead of sleeping
        s |= kSrwSleepers;
    }
    lock_wait(state, s, nullptr);
}

bool srw_try_exclusive(Word<uint32_t>* state)
{
    uint32_t s = state->load(std::memory_order_relaxed);
    while ((s & ~kSrwSleepers) == 0) {
        if (state->compare_exchange_weak(s, s | kSrwExclusive, std::memory_order_acquire,
                                         std::memory_order_relaxed))
            return true;
    }
    return false;
}

// One attempt at shared access; false when a writer holds or waits for the lock.
bool srw_try_shared(PSRWLOCK lock, uint32_t& s)
{
    Word<uint32_t>* state = srw_state(lock);
    s = state->load(std::memory_order_relaxed);
    for (;;) {
        if ((s & kSrwExclusive) || srw_writers(lock)->load(std::memory_order_seq_cst) != 0) return false;
        if (state->compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed))
            return true;
    }
}

// ---- Condition variables -----------------------------------------------------------------
//
// The pointer-sized word is two 32-bit atomics: the low half is a sequence number that every
// Wake advances (the futex word), the high half counts sleepers so a Wake with nobody
// waiting makes no system call. A sleeper registers, reads the sequence, releases its lock
// and sleeps while the sequence is unchanged: a Wake issued after the lock was released
// changes the sequence, so it cannot be missed (seq_cst orders the two counters: a waker
// that sees no sleeper advanced the sequence before the sleeper read it).

Word<uint32_t>* cv_seq(PCONDITION_VARIABLE cv) { return LOCK_WORD(uint32_t, cv, Ptr); }
Word<uint32_t>* cv_sleepers(PCONDITION_VARIABLE cv) { return LOCK_WORD(uint32_t, cv, Ptr) + 1; }

// Sleeps on `cv` from sequence `seq` until woken (true) or `ms` expires (false).
bool cv_wait(PCONDITION_VARIABLE cv, uint32_t seq, DWORD ms)
{
    overlapped::kernel::Deadline deadline = overlapped::kernel::Deadline::from_milliseconds(ms);
    for (;;) {
        int rc = lock_wait(cv_seq(cv), seq, deadline.absolute());
        if (rc == ETIMEDOUT) return false;
        if (cv_seq(cv)->load(std::memory_order_relaxed) != seq) return true;  // a Wake came
        // EINTR, or a wake meant for another word sharing an unaligned variable's parking
        // word: sleep again on the same sequence; a Wake meanwhile makes it return at once.
    }
}

void cv_wake(PCONDITION_VARIABLE cv, int count)
{
    cv_seq(cv)->fetch_add(1, std::memory_order_seq_cst);
    if (cv_sleepers(cv)->load(std::memory_order_seq_cst) != 0) lock_wake(cv_seq(cv), count);
}

}  // namespace

// ---- Critical sections -------------------------------------------------------------------

void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    // Spin count 0, as Windows' InitializeCriticalSection reports through
    // SetCriticalSectionSpinCount; contended callers go straight to the futex.
    cs_init(lpCriticalSection, 0);
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount)
{
    cs_init(lpCriticalSection, dwSpinCount);
    return TRUE;
}

// Flags (CRITICAL_SECTION_NO_DEBUG_INFO etc.) are accepted and ignored: there is no debug info.
BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount, DWORD Flags)
{
    (void)Flags;
    cs_init(lpCriticalSection, dwSpinCount);
    return TRUE;
}

// Sets the spin count (flag bits masked off) and returns the previous one.
DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection, DWORD dwSpinCount)
{
    return static_cast<DWORD>(
        cs_spin(lpCriticalSection)->exchange(dwSpinCount & kSpinCountMask, std::memory_order_relaxed));
}

// Recursive acquire: the owner re-enters by counting; others spin, then sleep on the futex.
void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    uintptr_t tid = current_tid();
    if (cs_owner(lpCriticalSection)->load(std::memory_order_relaxed) == tid) {
        cs_recursion_add(lpCriticalSection, 1);
        return;
    }
    cs_lock_word(lpCriticalSection);
    cs_set_owner(lpCriticalSection, tid, 1);
}

// As EnterCriticalSection without waiting: TRUE if the caller now owns (or already owned) it.
BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    uintptr_t tid = current_tid();
    if (cs_owner(lpCriticalSection)->load(std::memory_order_relaxed) == tid) {
        cs_recursion_add(lpCriticalSection, 1);
        return TRUE;
    }
    uint32_t expected = 0;
    if (!cs_word(lpCriticalSection)->compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                                             std::memory_order_relaxed))
        return FALSE;
    cs_set_owner(lpCriticalSection, tid, 1);
    return TRUE;
}

// Undoes one Enter; the last one frees the section. Leaving a section the caller does not
// own is undefined on Windows; here it is ignored rather than corrupting the lock.
void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    if (cs_owner(lpCriticalSection)->load(std::memory_order_relaxed) != current_tid()) return;
    if (cs_recursion_add(lpCriticalSection, -1) > 0) return;
    cs_set_owner(lpCriticalSection, 0, 0);
    cs_unlock_word(lpCriticalSection);
}

// Nothing to free: the section holds no resources. Its fields are cleared (DebugInfo NULL).
void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection)
{
    cs_init(lpCriticalSection, 0, false);
}

// ---- SRW locks ---------------------------------------------------------------------------

void WINAPI InitializeSRWLock(PSRWLOCK SRWLock)
{
    srw_state(SRWLock)->store(0, std::memory_order_relaxed);
    srw_writers(SRWLock)->store(0, std::memory_order_relaxed);
}

void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    Word<uint32_t>* state = srw_state(SRWLock);
    if (srw_try_exclusive(state)) return;
    srw_writers(SRWLock)->fetch_add(1, std::memory_order_seq_cst);
    while (!srw_try_exclusive(state)) {
        uint32_t s = state->load(std::memory_order_relaxed);
        if ((s & ~kSrwSleepers) == 0) continue;  // freed meanwhile: try again
        srw_sleep(state, s);
    }
    srw_writers(SRWLock)->fetch_sub(1, std::memory_order_seq_cst);
}

void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock)
{
    uint32_t s;
    while (!srw_try_shared(SRWLock, s)) srw_sleep(srw_state(SRWLock), s);
}

void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock)
{
    Word<uint32_t>* state = srw_state(SRWLock);
    if (state->exchange(0, std::memory_order_release) & kSrwSleepers) lock_wake(state, INT_MAX);
}

void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock)
{
    Word<uint32_t>* state = srw_state(SRWLock);
    uint32_t s = state->fetch_sub(1, std::memory_order_release) - 1;
    if (s != kSrwSleepers) return;  // other readers remain, or nobody sleeps
    // Last reader with sleepers: clear the bit and wake them. If the CAS fails the state
    // moved (someone took the lock, keeping the bit) and that holder's release wakes them.
    if (state->compare_exchange_strong(s, 0, std::memory_order_relaxed, std::memory_order_relaxed))
        lock_wake(state, INT_MAX);
}

BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    return srw_try_exclusive(srw_state(SRWLock)) ? TRUE : FALSE;
}

// Fails while a writer holds the lock or waits for it (writer preference).
BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock)
{
    uint32_t s;
    return srw_try_shared(SRWLock, s) ? TRUE : FALSE;
}

// ---- Condition variables -----------------------------------------------------------------

void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    cv_seq(ConditionVariable)->store(0, std::memory_order_relaxed);
    cv_sleepers(ConditionVariable)->store(0, std::memory_order_relaxed);
}

// Leaves the section completely (whatever the recursion depth), waits for a Wake or the
// timeout, re-enters it to the same depth. FALSE with ERROR_TIMEOUT on expiry.
BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable, PCRITICAL_SECTION CriticalSection,
                                     DWORD dwMilliseconds)
{
    cv_sleepers(ConditionVariable)->fetch_add(1, std::memory_order_seq_cst);
    uint32_t seq = cv_seq(ConditionVariable)->load(std::memory_order_seq_cst);
    LONG depth = cs_recursion(CriticalSection)->load(std::memory_order_relaxed);
    cs_recursion(CriticalSection)->store(1, std::memory_order_relaxed);
    LeaveCriticalSection(CriticalSection);
    bool woken = cv_wait(ConditionVariable, seq, dwMilliseconds);
    cv_sleepers(ConditionVariable)->fetch_sub(1, std::memory_order_relaxed);
    EnterCriticalSection(CriticalSection);
    cs_recursion(CriticalSection)->store(depth, std::memory_order_relaxed);
    if (woken) return TRUE;
    overlapped::kernel::tls_last_error = ERROR_TIMEOUT;
    return FALSE;
}

// As SleepConditionVariableCS for an SRW lock held exclusive, or shared when Flags is
// CONDITION_VARIABLE_LOCKMODE_SHARED; other flags: FALSE with ERROR_INVALID_PARAMETER.
BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable, PSRWLOCK SRWLock,
                                      DWORD dwMilliseconds, ULONG Flags)
{
    if (Flags & ~static_cast<ULONG>(CONDITION_VARIABLE_LOCKMODE_SHARED)) {
        overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
        return FALSE;
    }
    bool shared = Flags & CONDITION_VARIABLE_LOCKMODE_SHARED;
    cv_sleepers(ConditionVariable)->fetch_add(1, std::memory_order_seq_cst);
    uint32_t seq = cv_seq(ConditionVariable)->load(std::memory_order_seq_cst);
    if (shared)
        ReleaseSRWLockShared(SRWLock);
    else
        ReleaseSRWLockExclusive(SRWLock);
    bool woken = cv_wait(ConditionVariable, seq, dwMilliseconds);
    cv_sleepers(ConditionVariable)->fetch_sub(1, std::memory_order_relaxed);
    if (shared)
        AcquireSRWLockShared(SRWLock);
    else
        AcquireSRWLockExclusive(SRWLock);
    if (woken) return TRUE;
    overlapped::kernel::tls_last_error = ERROR_TIMEOUT;
    return FALSE;
}

void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    cv_wake(ConditionVariable, 1);
}

void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    cv_wake(ConditionVariable, INT_MAX);
}

// ---- One-time initialization (INIT_ONCE), in the caller's pointer-sized word:
//   0                    not initialized;
//   1                    being initialized by one thread (the others sleep on the low half);
//   3                    being initialized asynchronously (INIT_ONCE_ASYNC): any number of
//                        threads may be initializing, the first to complete wins;
//   (context & ~3) | 2   initialized, with the context the initializer gave.
// As on Windows, the two modes do not mix: a synchronous call meeting an asynchronous
// initialization, or the reverse, fails with ERROR_INVALID_PARAMETER.
namespace {

constexpr uintptr_t kOnceBusy = 1;
constexpr uintptr_t kOnceDone = 2;
constexpr uintptr_t kOnceAsync = 3;

Word<uintptr_t>* once_word(PINIT_ONCE once) { return LOCK_WORD(uintptr_t, once, Ptr); }
Word<uint32_t>* once_futex(PINIT_ONCE once) { return LOCK_WORD(uint32_t, once, Ptr); }

void once_set(PINIT_ONCE once, uintptr_t value)
{
    once_word(once)->store(value, std::memory_order_release);
    lock_wake(once_futex(once), INT_MAX);
}

}  // namespace

void WINAPI InitOnceInitialize(PINIT_ONCE InitOnce)
{
    InitOnce->Ptr = nullptr;
}

// Claims the initialization (TRUE in *pending), or waits for the thread that has it and
// reports the result (FALSE in *pending, the context). INIT_ONCE_CHECK_ONLY never waits:
// ERROR_GEN_FAILURE when the initialization is not complete (with INIT_ONCE_ASYNC too:
// ERROR_INVALID_PARAMETER). INIT_ONCE_ASYNC never waits either: every caller before the
// first completion gets TRUE in *pending. *pending is left alone on failure.
BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags, PBOOL fPending, LPVOID* lpContext)
{
    bool async = (dwFlags & INIT_ONCE_ASYNC) != 0;
    if (dwFlags & ~(INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC) || fPending == nullptr ||
        ((dwFlags & INIT_ONCE_CHECK_ONLY) && async)) {
        overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
        return FALSE;
    }
    for (;;) {
        uintptr_t value = once_word(lpInitOnce)->load(std::memory_order_acquire);
        if ((value & 3) == kOnceDone) {
            *fPending = FALSE;
            if (lpContext != nullptr) *lpContext = reinterpret_cast<LPVOID>(value & ~uintptr_t(3));
            return TRUE;
        }
        if (dwFlags & INIT_ONCE_CHECK_ONLY) {
            overlapped::kernel::tls_last_error = ERROR_GEN_FAILURE;
            return FALSE;
        }
        switch (value & 3) {
        case 0: {
            uintptr_t expected = value;
            if (once_word(lpInitOnce)->compare_exchange_strong(expected, async ? kOnceAsync : kOnceBusy,
                                                               std::memory_order_acquire)) {
                *fPending = TRUE;
                return TRUE;
            }
            break;  // moved meanwhile: look again
        }
        case kOnceBusy:
            if (async) {
                overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
                return FALSE;
            }
            lock_wait(once_futex(lpInitOnce), static_cast<uint32_t>(kOnceBusy), nullptr);
            break;
        case kOnceAsync:
            if (!async) {
                overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
                return FALSE;
            }
            *fPending = TRUE;
            return TRUE;
        }
    }
}

// Ends an initialization: with lpContext (its two low bits clear), or failed
// (INIT_ONCE_INIT_FAILED, not with INIT_ONCE_ASYNC: the next caller initializes again).
// An asynchronous initialization needs INIT_ONCE_ASYNC here; the first to complete it
// wins, a later one fails with ERROR_GEN_FAILURE, as does completing an object that is
// not being initialized.
BOOL WINAPI InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext)
{
    uintptr_t context = reinterpret_cast<uintptr_t>(lpContext);
    bool failed = (dwFlags & INIT_ONCE_INIT_FAILED) != 0;
    bool async = (dwFlags & INIT_ONCE_ASYNC) != 0;
    if ((dwFlags & ~(INIT_ONCE_INIT_FAILED | INIT_ONCE_ASYNC)) || (context & 3) ||
        (failed && (context != 0 || async))) {
        overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
        return FALSE;
    }
    uintptr_t final_value = failed ? 0 : context | kOnceDone;
    for (;;) {
        uintptr_t value = once_word(lpInitOnce)->load(std::memory_order_acquire);
        if (value == kOnceBusy) {
            once_set(lpInitOnce, final_value);
            return TRUE;
        }
        if (value != kOnceAsync) {
            overlapped::kernel::tls_last_error = ERROR_GEN_FAILURE;  // not being initialized
            return FALSE;
        }
        if (!async) {
            overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
            return FALSE;
        }
        if (once_word(lpInitOnce)->compare_exchange_strong(value, final_value, std::memory_order_acq_rel))
            return TRUE;
    }
}

// Runs InitFn once: other callers wait for it and get its context. A FALSE from InitFn
// fails this call and leaves the object for the next caller to initialize. InitFn gets
// no context pointer when the caller gave none (its Context is "[out, optional]",
// Microsoft Learn, InitOnceCallback; Wine passes the caller's pointer on too), and the
// object then keeps no context.
BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter, LPVOID* Context)
{
    BOOL pending = FALSE;
    LPVOID context = nullptr;
    if (!InitOnceBeginInitialize(InitOnce, 0, &pending, &context)) return FALSE;
    if (pending) {
        if (!InitFn(InitOnce, Parameter, Context != nullptr ? &context : nullptr)) {
            once_set(InitOnce, 0);
            return FALSE;
        }
        once_set(InitOnce, (reinterpret_cast<uintptr_t>(context) & ~uintptr_t(3)) | kOnceDone);
        context = reinterpret_cast<LPVOID>(reinterpret_cast<uintptr_t>(context) & ~uintptr_t(3));
    }
    if (Context != nullptr) *Context = context;
    return TRUE;
}

// ---- WaitOnAddress, WakeByAddressSingle, WakeByAddressAll -----------------------------
//
// The address may hold 1, 2, 4 or 8 bytes at any alignment, so sleepers do not sleep on it
// but on its parking word (above), as an unaligned lock word does: a waiter counts itself
// in, reads the parking word, compares the address, and sleeps while the parking word is
// unchanged; a wake advances the parking word and, if anyone waits there, wakes them all
// (those waiting on other addresses return as from a spurious wake-up, which Windows
// allows: callers compare again). A wake with nobody waiting makes no system call.
namespace {

// Whether `address` holds what `compare` does (`size` bytes). A torn read of an unaligned
// value only makes the caller return early, which it allows.
bool address_holds(const volatile void* address, const void* compare, SIZE_T size)
{
    const void* plain = const_cast<const void*>(address);
    uint64_t now = 0, expected = 0;
    memcpy(&expected, compare, size);
    if ((reinterpret_cast<uintptr_t>(plain) & (size - 1)) == 0) {  // naturally aligned: one load
        switch (size) {
        case 1: now = __atomic_load_n(static_cast<const uint8_t*>(plain), __ATOMIC_RELAXED); break;
        case 2: now = __atomic_load_n(static_cast<const uint16_t*>(plain), __ATOMIC_RELAXED); break;
        case 4: now = __atomic_load_n(static_cast<const uint32_t*>(plain), __ATOMIC_RELAXED); break;
        default: now = __atomic_load_n(static_cast<const uint64_t*>(plain), __ATOMIC_RELAXED); break;
        }
    } else {
        unsigned char bytes[8] = {};
        for (SIZE_T i = 0; i < size; ++i) bytes[i] = static_cast<const volatile unsigned char*>(address)[i];
        memcpy(&now, bytes, size);
    }
    return now == expected;
}

void wake_address(const void* address)
{
    ParkingWord& parking = parking_for(address);
    parking.sequence.fetch_add(1, std::memory_order_seq_cst);  // after the caller's store
    if (parking.waiters.load(std::memory_order_seq_cst) != 0) overlapped::futex_wake(&parking.sequence, INT_MAX);
}

}  // namespace

// TRUE when the address did not hold the compared value or a wake came (or spuriously);
// FALSE with ERROR_TIMEOUT when the time ran out, ERROR_INVALID_PARAMETER for a size
// other than 1, 2, 4 or 8 (Wine's ntdll sync test_wait_on_address).
BOOL WINAPI WaitOnAddress(volatile VOID* Address, PVOID CompareAddress, SIZE_T AddressSize, DWORD dwMilliseconds)
{
    if (AddressSize != 1 && AddressSize != 2 && AddressSize != 4 && AddressSize != 8) {
        overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
        return FALSE;
    }
    overlapped::kernel::Deadline deadline = overlapped::kernel::Deadline::from_milliseconds(dwMilliseconds);
    ParkingWord& parking = parking_for(Address);
    parking.waiters.fetch_add(1, std::memory_order_seq_cst);
    uint32_t sequence = parking.sequence.load(std::memory_order_seq_cst);  // before the address is read
    int rc = 0;
    if (address_holds(Address, CompareAddress, AddressSize)) {
        do rc = overlapped::futex_wait(&parking.sequence, sequence, deadline.absolute());
        while (rc == EINTR);
    }
    parking.waiters.fetch_sub(1, std::memory_order_relaxed);
    if (rc != ETIMEDOUT) return TRUE;
    overlapped::kernel::tls_last_error = ERROR_TIMEOUT;
    return FALSE;
}

void WINAPI WakeByAddressSingle(PVOID Address)
{
    wake_address(Address);
}

void WINAPI WakeByAddressAll(PVOID Address)
{
    wake_address(Address);
}

// ---- Synchronization barriers ---------------------------------------------------------
//
// The fields of Windows' SYNCHRONIZATION_BARRIER (RTL_BARRIER), our use:
//   Reserved1     the number of threads a phase needs;
//   Reserved3[0]  the phase's state, one 64-bit word changed by compare-and-swap: the low
//                 half counts the threads yet to arrive, the high half is the phase number
//                 (the futex word waiters sleep on). The last arrival sets the count back
//                 and advances the phase in the same step, so a thread arriving at once
//                 after it already counts in the next phase;
//   Reserved3[1]  (low half) threads inside EnterSynchronizationBarrier without
//                 SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE, whom DeleteSynchronizationBarrier
//                 waits for (its futex word);
//   Reserved5     the spin count (kept; waiters sleep at once).
// The last thread to arrive starts the next phase and gets TRUE; the others sleep until
// the phase number moves and get FALSE.
namespace {

Word<uint32_t>* barrier_total(LPSYNCHRONIZATION_BARRIER b) { return LOCK_WORD(uint32_t, b, Reserved1); }
Word<uint64_t>* barrier_state(LPSYNCHRONIZATION_BARRIER b) { return LOCK_WORD(uint64_t, b, Reserved3[0]); }
Word<uint32_t>* barrier_phase(LPSYNCHRONIZATION_BARRIER b) { return LOCK_WORD(uint32_t, b, Reserved3[0]) + 1; }
Word<uint32_t>* barrier_inside(LPSYNCHRONIZATION_BARRIER b) { return LOCK_WORD(uint32_t, b, Reserved3[1]); }

}  // namespace

// FALSE with ERROR_INVALID_PARAMETER for a NULL barrier, fewer than one thread, or a spin
// count below -1 (Wine's kernel32 sync test_barrier, as Windows 10 1607 and later answer).
BOOL WINAPI InitializeSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier, LONG lTotalThreads,
                                             LONG lSpinCount)
{
    if (lpBarrier == nullptr || lTotalThreads < 1 || lSpinCount < -1) {
        overlapped::kernel::tls_last_error = ERROR_INVALID_PARAMETER;
        return FALSE;
    }
    memset(lpBarrier, 0, sizeof(*lpBarrier));
    lpBarrier->Reserved5 = static_cast<DWORD>(lSpinCount);
    barrier_total(lpBarrier)->store(static_cast<uint32_t>(lTotalThreads), std::memory_order_relaxed);
    barrier_state(lpBarrier)->store(static_cast<uint32_t>(lTotalThreads), std::memory_order_release);
    return TRUE;
}

// TRUE for the one thread whose arrival completes the phase. The flags SPIN_ONLY and
// BLOCK_ONLY change nothing here (waiters sleep); others are ignored (Windows raises
// STATUS_INVALID_PARAMETER, an exception this library cannot raise).
BOOL WINAPI EnterSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier, DWORD dwFlags)
{
    bool counted = !(dwFlags & SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE);
    if (counted) barrier_inside(lpBarrier)->fetch_add(1, std::memory_order_relaxed);
    uint64_t state = barrier_state(lpBarrier)->load(std::memory_order_acquire);
    uint64_t next;
    do {
        uint32_t left = static_cast<uint32_t>(state);
        uint64_t phase = state >> 32;
        next = left == 1 ? ((phase + 1) << 32) | barrier_total(lpBarrier)->load(std::memory_order_relaxed)
                         : (phase << 32) | (left - 1);
    } while (!barrier_state(lpBarrier)->compare_exchange_weak(state, next, std::memory_order_acq_rel,
                                                              std::memory_order_acquire));
    uint32_t phase = static_cast<uint32_t>(state >> 32);
    BOOL last = static_cast<uint32_t>(state) == 1;
    if (last) {
        lock_wake(barrier_phase(lpBarrier), INT_MAX);
    } else {
        while (barrier_phase(lpBarrier)->load(std::memory_order_acquire) == phase)
            lock_wait(barrier_phase(lpBarrier), phase, nullptr);
    }
    if (counted && barrier_inside(lpBarrier)->fetch_sub(1, std::memory_order_release) == 1)
        lock_wake(barrier_inside(lpBarrier), INT_MAX);
    return last;
}

// Waits until no thread that entered without SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE is
// still inside EnterSynchronizationBarrier; there is nothing to free. Always TRUE.
BOOL WINAPI DeleteSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier)
{
    for (;;) {
        uint32_t inside = barrier_inside(lpBarrier)->load(std::memory_order_acquire);
        if (inside == 0) return TRUE;
        lock_wait(barrier_inside(lpBarrier), inside, nullptr);
    }
}
