// TEMPORARY local stand-in until the misc branch lands (not committed).
#include <windows.h>
#include <ctime>
extern "C" void WINAPI GetSystemTimeAsFileTime(LPFILETIME ft)
{
    timespec now; clock_gettime(CLOCK_REALTIME, &now);
    unsigned long long t = (now.tv_sec + 11644473600ULL) * 10000000ULL + now.tv_nsec / 100;
    ft->dwLowDateTime = (DWORD)t; ft->dwHighDateTime = (DWORD)(t >> 32);
}
extern "C" ULONGLONG WINAPI GetTickCount64(void) { timespec n; clock_gettime(CLOCK_MONOTONIC,&n); return n.tv_sec*1000ULL+n.tv_nsec/1000000; }
extern "C" DWORD WINAPI GetTickCount(void) { return (DWORD)GetTickCount64(); }
