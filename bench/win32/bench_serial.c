/* bench_serial.c: serial-port round trips: write one byte to a COM port, read it back
 * (the other end of the line echoes it). bench/serial.sh runs it under
 * bench/anchors/serial_raw (which makes the pty pair, echoes on its master and maps its
 * slave as the port), against the same loop with read/write on the slave.
 *   bench_serial PORT [sync|overlapped] [-w WARM] [-d SECONDS]
 * sync: a handle without FILE_FLAG_OVERLAPPED (ReadFile waits); overlapped: ReadFile
 * and WriteFile with an event, GetOverlappedResult to wait. Prints METRIC lines:
 * serial_rtps (round trips/s) and serial_p50_us. Exit status 3: not implemented. */
#include "bench_common.h"

static double samples[1 << 20];

int main(int argc, char **argv)
{
    const char *port_name = argc > 1 ? argv[1] : "COM9";
    int overlapped_mode = argc > 2 && strcmp(argv[2], "overlapped") == 0;
    double warm = 0.3, duration = 2.0;
    for (int i = 2; i + 1 < argc; ++i) {
        if (strcmp(argv[i], "-w") == 0) warm = atof(argv[i + 1]);
        if (strcmp(argv[i], "-d") == 0) duration = atof(argv[i + 1]);
    }
    HANDLE port = CreateFileA(port_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                              overlapped_mode ? FILE_FLAG_OVERLAPPED : 0, NULL);
    if (port == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        printf("bench_serial: CreateFile(%s) failed: %lu%s\n", port_name, (unsigned long)error,
               error == ERROR_CALL_NOT_IMPLEMENTED ? " (not implemented)" : "");
        return error == ERROR_CALL_NOT_IMPLEMENTED ? 3 : 1;
    }
    COMMTIMEOUTS timeouts = {0, 0, 0, 0, 0}; /* a read waits for its byte */
    if (!SetCommTimeouts(port, &timeouts)) {
        printf("bench_serial: SetCommTimeouts failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    OVERLAPPED ov;
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    unsigned char out = 0, in = 0;
    int count = 0;
    long long trips = 0;
    double start = bench_seconds(), measure_from = start + warm, end = measure_from + duration;
    for (;;) {
        double before = bench_seconds();
        if (before >= end) break;
        DWORD n = 0;
        ++out;
        BOOL ok;
        if (overlapped_mode) {
            memset(&ov, 0, sizeof ov);
            ov.hEvent = event;
            ok = WriteFile(port, &out, 1, NULL, &ov) || GetLastError() == ERROR_IO_PENDING;
            ok = ok && GetOverlappedResult(port, &ov, &n, TRUE);
            memset(&ov, 0, sizeof ov);
            ov.hEvent = event;
            ok = ok && (ReadFile(port, &in, 1, NULL, &ov) || GetLastError() == ERROR_IO_PENDING);
            ok = ok && GetOverlappedResult(port, &ov, &n, TRUE);
        } else {
            ok = WriteFile(port, &out, 1, &n, NULL) && n == 1 && ReadFile(port, &in, 1, &n, NULL);
        }
        if (!ok || n != 1 || in != out) {
            printf("bench_serial: round trip failed (error %lu, n %lu)\n", (unsigned long)GetLastError(), (unsigned long)n);
            return 1;
        }
        double after = bench_seconds();
        if (before >= measure_from) {
            ++trips;
            if (count < (int)(sizeof samples / sizeof samples[0])) samples[count++] = (after - before) * 1e6;
        }
    }
    bench_metric("serial_rtps", (double)trips / duration, "round_trips/s");
    if (count > 0) bench_metric("serial_p50_us", bench_median(samples, count), "us");
    CloseHandle(event);
    CloseHandle(port);
    return 0;
}
