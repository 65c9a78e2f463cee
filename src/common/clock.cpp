// clock.cpp: task_times (clock.h).
#include "common/clock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace overlapped {
namespace {

// Reads /proc/PID/stat (`tid` 0) or /proc/PID/task/TID/stat into `text` (`size` bytes).
// "pid (comm) state ppid ...": the name may hold spaces and parentheses, so the fields
// are counted from the last ')'. Returns what follows it (" state ppid ..."), or null;
// false when there is no such task.
bool read_task_stat(int pid, int tid, char* text, size_t size, const char** after_name)
{
    char path[64];
    if (tid != 0) snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
    else snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t got = read(fd, text, size - 1);
    close(fd);
    if (got <= 0) return false;
    text[got] = '\0';
    const char* at = strrchr(text, ')');
    *after_name = at != nullptr ? at + 1 : nullptr;
    return true;
}

}  // namespace

bool task_state(int pid, char* state)
{
    char text[256];
    const char* at = nullptr;
    if (!read_task_stat(pid, 0, text, sizeof(text), &at)) return false;
    *state = at != nullptr && at[0] == ' ' && at[1] != '\0' ? at[1] : '?';
    return true;
}

bool task_times(int pid, int tid, uint64_t* kernel, uint64_t* user, uint64_t* creation)
{
    char text[1024];
    const char* at = nullptr;
    if (!read_task_stat(pid, tid, text, sizeof(text), &at) || at == nullptr) return false;
    // utime is field 14, stime 15, starttime 22.
    unsigned long long values[20] = {};
    int field = 2;  // the field before the first one after ')' (state is field 3)
    while (*at != '\0' && field < 22) {
        while (*at == ' ') ++at;
        ++field;
        char* end = nullptr;
        unsigned long long value = strtoull(at, &end, 10);
        if (field >= 3 && field - 3 < 20) values[field - 3] = value;
        while (*at != '\0' && *at != ' ') ++at;
    }
    if (field < 22) return false;
    const uint64_t ticks = static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
    const uint64_t scale = 10000000 / (ticks != 0 ? ticks : 100);
    *user = values[14 - 3] * scale;
    *kernel = values[15 - 3] * scale;
    // starttime counts clock ticks since boot (CLOCK_BOOTTIME).
    timespec boot;
    clock_gettime(CLOCK_BOOTTIME, &boot);
    uint64_t since_boot = static_cast<uint64_t>(boot.tv_sec) * 10000000 + static_cast<uint64_t>(boot.tv_nsec) / 100;
    uint64_t started = values[22 - 3] * scale;
    *creation = filetime_now() - (since_boot > started ? since_boot - started : 0);
    return true;
}

}  // namespace overlapped
