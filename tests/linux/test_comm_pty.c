/* test_comm_pty.c: a COM port on a pseudo-terminal. The test opens a pty pair, maps
 * its slave as COM7 with OVERLAPPED_COM (set before the first CreateFile), and plays
 * the other end of the line on the master: what the program writes arrives there, and
 * what the test writes there arrives at the port. Covered: the DCB to termios and back,
 * Windows' read time-out rules (COMMTIMEOUTS), overlapped reads, writes and
 * WaitCommEvent on all four notification methods, cancellation, PurgeComm,
 * ClearCommError, what a pty cannot do (modem lines: reported, not faked), LPTn on a
 * mapped file, and the hang-up fault (the master closed while a read and a
 * WaitCommEvent are pending). */
#define _GNU_SOURCE
#include "testlib.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int master = -1;
static char slave_path[128];

static void open_pair(void)
{
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave_path, sizeof slave_path) != 0) {
        printf("no pseudo-terminal here\n");
        exit(77);
    }
    char mapping[200];
    snprintf(mapping, sizeof mapping, "COM7=%s;COM8=/etc/hostname", slave_path);
    setenv("OVERLAPPED_COM", mapping, 1);
}

static void master_write(const char *text, size_t length) { CHECK_EQ(write(master, text, length), (long)length); }

/* Reads what reached the master within `ms`. */
static size_t master_read(char *buffer, size_t room, int ms)
{
    size_t got = 0;
    struct pollfd entry = {master, POLLIN, 0};
    while (got < room && poll(&entry, 1, ms) == 1) {
        ssize_t n = read(master, buffer + got, room - got);
        if (n <= 0) break;
        got += (size_t)n;
        ms = 50;
    }
    return got;
}

static void master_drain(void)
{
    char junk[256];
    master_read(junk, sizeof junk, 20);
}

struct delayed {
    int ms;
    const char *text;
};
static void *delayed_writer(void *arg)
{
    struct delayed *d = arg;
    usleep((useconds_t)d->ms * 1000);
    (void)!write(master, d->text, strlen(d->text));
    return NULL;
}
static pthread_t write_later(struct delayed *d)
{
    pthread_t thread;
    pthread_create(&thread, NULL, delayed_writer, d);
    return thread;
}

static HANDLE open_port(DWORD flags)
{
    HANDLE port = CreateFileA("COM7", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, flags, NULL);
    CHECK(port != INVALID_HANDLE_VALUE);
    return port;
}

static void set_timeouts(HANDLE port, DWORD interval, DWORD multiplier, DWORD constant)
{
    COMMTIMEOUTS t = {interval, multiplier, constant, 0, 0};
    CHECK(SetCommTimeouts(port, &t));
}

static DWORD elapsed_since(DWORD start) { return GetTickCount() - start; }

struct blocked_read {
    HANDLE port;
    BOOL ok;
    DWORD error, bytes;
};
static DWORD WINAPI read_blocked(LPVOID arg)
{
    struct blocked_read *r = arg;
    char buffer[8];
    r->ok = ReadFile(r->port, buffer, sizeof buffer, &r->bytes, NULL);
    r->error = GetLastError();
    return 0;
}

struct mask_later {
    HANDLE port;
    int ms;
};
static void *set_mask_later(void *arg)
{
    struct mask_later *m = arg;
    usleep((useconds_t)m->ms * 1000);
    SetCommMask(m->port, EV_RXCHAR | EV_TXEMPTY);
    return NULL;
}

static LONG apc_calls;
static DWORD apc_bytes, apc_error;
static void WINAPI read_done(DWORD error, DWORD bytes, LPOVERLAPPED overlapped)
{
    (void)overlapped;
    apc_error = error;
    apc_bytes = bytes;
    InterlockedIncrement(&apc_calls);
}

int main(void)
{
    open_pair();
    char buffer[64];
    DWORD n = 0, start, evmask_tx = 0;

    TEST("CreateFile: COMn through OVERLAPPED_COM; one handle at a time; FILE_TYPE_CHAR");
    HANDLE port = open_port(0);
    CHECK_EQ(GetFileType(port), FILE_TYPE_CHAR);
    SetLastError(0xdeadbeef);
    HANDLE second = CreateFileA("\\\\.\\COM7", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileA("COM8", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND); /* mapped to something that is not a tty */
    CHECK(CloseHandle(port));
    port = CreateFileA("\\\\.\\com7", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(port != INVALID_HANDLE_VALUE);

    TEST("the port is raw: bytes go through unchanged both ways");
    CHECK(WriteFile(port, "a\nb\r\x03", 5, &n, NULL));
    CHECK_EQ(n, 5);
    CHECK_EQ(master_read(buffer, 5, 1000), 5);
    CHECK(memcmp(buffer, "a\nb\r\x03", 5) == 0);
    set_timeouts(port, 0, 0, 1000);
    master_write("x\ry\n\x04", 5);
    CHECK(ReadFile(port, buffer, 5, &n, NULL));
    CHECK_EQ(n, 5);
    CHECK(memcmp(buffer, "x\ry\n\x04", 5) == 0);

    TEST("SetCommState/GetCommState: the DCB reaches termios and comes back");
    DCB dcb;
    memset(&dcb, 0, sizeof dcb);
    CHECK(GetCommState(port, &dcb));
    CHECK_EQ(dcb.DCBlength, sizeof(DCB));
    CHECK_EQ(dcb.fBinary, 1);
    dcb.BaudRate = CBR_19200;
    dcb.ByteSize = 8;
    dcb.Parity = NOPARITY;
    dcb.StopBits = TWOSTOPBITS;
    dcb.fOutX = dcb.fInX = 1;
    dcb.fOutxCtsFlow = 1;
    dcb.fRtsControl = RTS_CONTROL_HANDSHAKE;
    CHECK(SetCommState(port, &dcb));
    int slave = open(slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    CHECK(slave >= 0 && tcgetattr(slave, &t) == 0);
    CHECK(cfgetospeed(&t) == B19200);
    CHECK((t.c_cflag & CSIZE) == CS8);
    CHECK((t.c_cflag & PARENB) == 0);
    CHECK((t.c_cflag & CSTOPB) != 0);
    CHECK((t.c_cflag & CRTSCTS) != 0);
    CHECK((t.c_iflag & (IXON | IXOFF)) == (IXON | IXOFF));
    DCB back;
    memset(&back, 0xff, sizeof back);
    CHECK(GetCommState(port, &back));
    CHECK_EQ(back.BaudRate, CBR_19200);
    CHECK_EQ(back.ByteSize, 8);
    CHECK_EQ(back.Parity, NOPARITY);
    CHECK_EQ(back.StopBits, TWOSTOPBITS);
    CHECK_EQ(back.fOutX, 1);
    CHECK_EQ(back.fInX, 1);
    CHECK_EQ(back.fOutxCtsFlow, 1);
    CHECK_EQ(back.fRtsControl, RTS_CONTROL_HANDSHAKE);
    dcb.StopBits = ONESTOPBIT;
    dcb.fOutX = dcb.fInX = 0;
    dcb.fOutxCtsFlow = 0;
    dcb.fRtsControl = RTS_CONTROL_ENABLE;
    dcb.BaudRate = CBR_115200;
    CHECK(SetCommState(port, &dcb));
    CHECK(tcgetattr(slave, &t) == 0);
    CHECK(cfgetospeed(&t) == B115200);
    CHECK((t.c_cflag & (CRTSCTS | CSTOPB)) == 0);
    CHECK(GetCommState(port, &back));
    CHECK_EQ(back.StopBits, ONESTOPBIT);
    CHECK_EQ(back.BaudRate, CBR_115200);
    CHECK_EQ(back.fRtsControl, RTS_CONTROL_ENABLE);
    CHECK_EQ(back.fOutxCtsFlow, 0);

    TEST("SetCommState: what the tty cannot do is ERROR_INVALID_PARAMETER (a pty is 8 bits, no parity)");
    DCB seven = back;
    seven.ByteSize = 7;
    seven.Parity = EVENPARITY;
    seven.BaudRate = CBR_9600;
    SetLastError(0xdeadbeef);
    CHECK(!SetCommState(port, &seven));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    seven = back;
    seven.Parity = MARKPARITY;
    CHECK(!SetCommState(port, &seven));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(tcgetattr(slave, &t) == 0); /* the old settings are back */
    CHECK(cfgetospeed(&t) == B115200);
    CHECK((t.c_cflag & (CSIZE | PARENB)) == CS8);
    close(slave);

    TEST("SetCommState: what Windows or the tty refuses is ERROR_INVALID_PARAMETER, and nothing changes");
    DCB good = back;
    good.ByteSize = 8;
    good.StopBits = ONESTOPBIT;
    good.Parity = NOPARITY;
    CHECK(SetCommState(port, &good));
    struct {
        const char *what;
        int field;
        DWORD value;
    } bad[] = {{"ByteSize 4", 0, 4}, {"ByteSize 9", 0, 9}, {"Parity 5", 1, 5}, {"StopBits 3", 2, 3},
               {"1.5 stop bits with 8 data bits", 2, ONE5STOPBITS}, {"baud 0", 3, 0}, {"baud 2^31", 3, 0x80000000u},
               {"DSR flow control", 4, 1}, {"DTR handshake", 5, DTR_CONTROL_HANDSHAKE}, {"RTS toggle", 6, RTS_CONTROL_TOGGLE},
               {"XON = XOFF with XON/XOFF on", 7, 0}, {"XonLim above the 4096-byte receive buffer", 8, 4097},
               {"XoffLim above the 4096-byte receive buffer", 9, 5000}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        DCB d = good;
        switch (bad[i].field) {
        case 0: d.ByteSize = (BYTE)bad[i].value; break;
        case 1: d.Parity = (BYTE)bad[i].value; break;
        case 2: d.StopBits = (BYTE)bad[i].value; break;
        case 3: d.BaudRate = bad[i].value; break;
        case 4: d.fOutxDsrFlow = 1; break;
        case 5: d.fDtrControl = bad[i].value; break;
        case 6: d.fRtsControl = bad[i].value; break;
        case 7: d.fOutX = 1; d.XonChar = d.XoffChar = 0x11; break;
        case 8: d.XonLim = (WORD)bad[i].value; break;
        case 9: d.XoffLim = (WORD)bad[i].value; break;
        }
        SetLastError(0xdeadbeef);
        BOOL ok = SetCommState(port, &d);
        if (ok || GetLastError() != ERROR_INVALID_PARAMETER) printf("  refused wrongly: %s\n", bad[i].what);
        CHECK(!ok);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CHECK(GetCommState(port, &back));
    CHECK_EQ(back.ByteSize, 8);
    CHECK_EQ(back.BaudRate, CBR_115200);

    TEST("SetCommState: rates without a Linux Bnnn code (CBR_14400, CBR_56000, any number) are set as numbers");
    {
        /* Windows takes any rate its UART can run within 1% of (serial.sys); the CBR_
         * values all go through. A pty runs at whatever it is told. */
        static const DWORD rates[] = {CBR_14400, CBR_56000, CBR_128000, CBR_256000, 7200, 12345, CBR_9600};
        for (size_t i = 0; i < sizeof rates / sizeof rates[0]; ++i) {
            DCB d = good;
            d.BaudRate = rates[i];
            SetLastError(0xdeadbeef);
            BOOL ok = SetCommState(port, &d);
            if (!ok) printf("  refused: %lu baud (error %lu)\n", (unsigned long)rates[i], (unsigned long)GetLastError());
            CHECK(ok);
            memset(&back, 0, sizeof back);
            CHECK(GetCommState(port, &back));
            CHECK_EQ(back.BaudRate, rates[i]);
            CHECK_EQ(back.ByteSize, 8);
        }
        int other = open(slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
        CHECK(other >= 0 && tcgetattr(other, &t) == 0);
        CHECK(cfgetospeed(&t) == B9600); /* the last one, a standard rate, by its code again */
        close(other);
        DCB d = good;
        d.BaudRate = 14400;
        CHECK(SetCommState(port, &d));
        d.ByteSize = 7; /* refused by the pty: the old settings, 14400 baud, stay */
        CHECK(!SetCommState(port, &d));
        CHECK(GetCommState(port, &back));
        CHECK_EQ(back.BaudRate, 14400);
        CHECK(SetCommState(port, &good));
    }

    TEST("COMMTIMEOUTS: round trip; all three read values MAXDWORD is refused");
    COMMTIMEOUTS ct = {1, 2, 3, 4, 5}, got;
    CHECK(SetCommTimeouts(port, &ct));
    CHECK(GetCommTimeouts(port, &got));
    CHECK(memcmp(&ct, &got, sizeof ct) == 0);
    COMMTIMEOUTS all_max = {MAXDWORD, MAXDWORD, MAXDWORD, 0, 0};
    SetLastError(0xdeadbeef);
    CHECK(!SetCommTimeouts(port, &all_max));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("read time-outs: MAXDWORD/0/0 returns at once with what is there, even nothing");
    set_timeouts(port, MAXDWORD, 0, 0);
    start = GetTickCount();
    SetLastError(0xdeadbeef);
    CHECK(ReadFile(port, buffer, sizeof buffer, &n, NULL));
    CHECK_EQ(n, 0);
    CHECK(elapsed_since(start) < 100);
    master_write("ab", 2);
    usleep(20000);
    CHECK(ReadFile(port, buffer, sizeof buffer, &n, NULL));
    CHECK_EQ(n, 2);

    TEST("read time-outs: a total time-out ends the read successfully with fewer bytes");
    set_timeouts(port, 0, 0, 300);
    master_write("xyz", 3);
    start = GetTickCount();
    SetLastError(0xdeadbeef);
    CHECK(ReadFile(port, buffer, 10, &n, NULL));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(n, 3);
    DWORD took = elapsed_since(start);
    CHECK(took >= 250 && took < 1000);
    set_timeouts(port, 0, 50, 100); /* 50 ms a byte: 4 bytes, 300 ms */
    start = GetTickCount();
    CHECK(ReadFile(port, buffer, 4, &n, NULL));
    CHECK_EQ(n, 0);
    took = elapsed_since(start);
    CHECK(took >= 250 && took < 1000);

    TEST("read time-outs: the interval time-out counts from the last byte, and only after the first");
    set_timeouts(port, 100, 0, 0);
    struct delayed late = {300, "12"};
    start = GetTickCount();
    pthread_t writer = write_later(&late);
    CHECK(ReadFile(port, buffer, 10, &n, NULL));
    took = elapsed_since(start);
    pthread_join(writer, NULL);
    CHECK_EQ(n, 2);
    CHECK(took >= 350 && took < 1500); /* waited for the first byte, then 100 ms */

    TEST("read time-outs: MAXDWORD/MAXDWORD/c waits for the first bytes, at most c");
    set_timeouts(port, MAXDWORD, MAXDWORD, 400);
    start = GetTickCount();
    CHECK(ReadFile(port, buffer, 10, &n, NULL));
    took = elapsed_since(start);
    CHECK_EQ(n, 0);
    CHECK(took >= 350 && took < 1500);
    struct delayed soon = {100, "q"};
    start = GetTickCount();
    writer = write_later(&soon);
    CHECK(ReadFile(port, buffer, 10, &n, NULL));
    took = elapsed_since(start);
    pthread_join(writer, NULL);
    CHECK_EQ(n, 1);
    CHECK(took >= 80 && took < 350);

    TEST("read time-outs: none at all waits until the buffer is full");
    set_timeouts(port, 0, 0, 0);
    struct delayed rest = {150, "cd"};
    master_write("ab", 2);
    writer = write_later(&rest);
    CHECK(ReadFile(port, buffer, 4, &n, NULL));
    pthread_join(writer, NULL);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buffer, "abcd", 4) == 0);

    TEST("ClearCommError, PurgeComm, SetupComm, TransmitCommChar, FlushFileBuffers");
    DWORD errors = 0xdeadbeef;
    COMSTAT comstat;
    master_write("12345", 5);
    usleep(20000);
    CHECK(ClearCommError(port, &errors, &comstat));
    CHECK_EQ(errors, 0);
    CHECK_EQ(comstat.cbInQue, 5);
    CHECK_EQ(comstat.cbOutQue, 0);
    CHECK(PurgeComm(port, PURGE_RXCLEAR | PURGE_TXCLEAR));
    CHECK(ClearCommError(port, &errors, &comstat));
    CHECK_EQ(comstat.cbInQue, 0);
    SetLastError(0xdeadbeef);
    CHECK(!PurgeComm(port, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(!PurgeComm(port, 0x10));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    COMMPROP prop;
    memset(&prop, 0xcc, sizeof prop);
    CHECK(GetCommProperties(port, &prop));
    CHECK_EQ(prop.dwCurrentRxQueue, 4096); /* serial.sys's receive buffer from the open */
    CHECK(SetupComm(port, 1024, 2048)); /* smaller: the buffer stays */
    CHECK(GetCommProperties(port, &prop));
    CHECK_EQ(prop.dwCurrentRxQueue, 4096);
    {
        DCB limits;
        CHECK(GetCommState(port, &limits));
        limits.XonLim = 4096;
        limits.XoffLim = 4096;
        CHECK(SetCommState(port, &limits)); /* the whole buffer is a valid limit */
        CHECK(SetupComm(port, 8192, 2048));
        limits.XonLim = 8192;
        CHECK(SetCommState(port, &limits)); /* and a larger buffer, a larger one */
        limits.XonLim = 2048;
        limits.XoffLim = 512;
        CHECK(SetCommState(port, &limits));
    }
    CHECK(SetupComm(port, 4096, 2048));
    memset(&prop, 0xcc, sizeof prop);
    CHECK(GetCommProperties(port, &prop));
    CHECK_EQ(prop.dwCurrentRxQueue, 8192);
    CHECK_EQ(prop.dwCurrentTxQueue, 2048);
    CHECK_EQ(prop.dwProvSubType, PST_RS232);
    CHECK_EQ(prop.dwServiceMask, SP_SERIALCOMM);
    CHECK((prop.dwProvCapabilities & (PCF_TOTALTIMEOUTS | PCF_INTTIMEOUTS)) == (PCF_TOTALTIMEOUTS | PCF_INTTIMEOUTS));
    CHECK((prop.dwProvCapabilities & PCF_RTSCTS) == 0); /* a pty has no modem lines */
    master_drain();
    CHECK(TransmitCommChar(port, '!'));
    CHECK_EQ(master_read(buffer, 1, 1000), 1);
    CHECK_EQ(buffer[0], '!');
    CHECK(FlushFileBuffers(port));

    TEST("what a pty cannot do is reported, not faked: modem lines");
    DWORD modem = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!GetCommModemStatus(port, &modem));
    CHECK_ERROR(ERROR_NOT_SUPPORTED);
    CHECK(!EscapeCommFunction(port, SETDTR));
    CHECK_ERROR(ERROR_NOT_SUPPORTED);
    CHECK(!EscapeCommFunction(port, CLRRTS));
    CHECK_ERROR(ERROR_NOT_SUPPORTED);
    CHECK(EscapeCommFunction(port, SETBREAK));
    CHECK(EscapeCommFunction(port, CLRBREAK));
    CHECK(SetCommBreak(port) && ClearCommBreak(port));
    CHECK(!EscapeCommFunction(port, 99));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("WaitCommEvent on a synchronous handle: the history since SetCommMask; mask 0 is refused");
    DWORD mask = 0xdeadbeef;
    CHECK(SetCommMask(port, 0));
    SetLastError(0xdeadbeef);
    CHECK(!WaitCommEvent(port, &mask, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetCommMask(port, EV_RXCHAR | EV_TXEMPTY));
    CHECK(GetCommMask(port, &mask));
    CHECK_EQ(mask, EV_RXCHAR | EV_TXEMPTY);
    master_write("z", 1);
    usleep(20000);
    mask = 0;
    CHECK(WaitCommEvent(port, &mask, NULL));
    CHECK_EQ(mask, EV_RXCHAR);
    CHECK(WriteFile(port, "w", 1, &n, NULL));
    CHECK(WaitCommEvent(port, &mask, NULL));
    CHECK_EQ(mask, EV_TXEMPTY);
    TEST("WaitCommEvent on a synchronous handle: SetCommMask from another thread ends it with mask 0");
    CHECK(SetCommMask(port, EV_RXCHAR));
    struct mask_later later = {port, 300};
    pthread_t changer;
    mask = 0xdeadbeef;
    start = GetTickCount();
    pthread_create(&changer, NULL, set_mask_later, &later);
    CHECK(WaitCommEvent(port, &mask, NULL));
    took = elapsed_since(start);
    pthread_join(changer, NULL);
    CHECK_EQ(mask, 0);
    if (took < 250 || took >= 3000) printf("  the wait took %lu ms\n", (unsigned long)took);
    CHECK(took >= 250 && took < 3000);

    TEST("CancelSynchronousIo ends a synchronous read waiting for its bytes");
    set_timeouts(port, 0, 0, 0);
    struct blocked_read blocked = {port, TRUE, 0, 0};
    HANDLE reader = CreateThread(NULL, 0, read_blocked, &blocked, 0, NULL);
    Sleep(200);
    CHECK_EQ(WaitForSingleObject(reader, 0), WAIT_TIMEOUT);
    CHECK(CancelSynchronousIo(reader));
    CHECK_EQ(WaitForSingleObject(reader, 2000), WAIT_OBJECT_0);
    CHECK(!blocked.ok);
    CHECK_EQ(blocked.error, ERROR_OPERATION_ABORTED);
    CloseHandle(reader);

    TEST("write time-outs: a write the other end does not take ends successfully with fewer bytes");
    COMMTIMEOUTS wt = {0, 0, 0, 0, 200};
    CHECK(SetCommTimeouts(port, &wt));
    static char big[1 << 20];
    memset(big, 'b', sizeof big);
    start = GetTickCount();
    SetLastError(0xdeadbeef);
    CHECK(WriteFile(port, big, sizeof big, &n, NULL));
    took = elapsed_since(start);
    CHECK_ERROR(0xdeadbeef);
    CHECK(n > 0 && n < sizeof big);
    CHECK(took >= 150 && took < 2000);
    COMSTAT queued;
    CHECK(PurgeComm(port, PURGE_TXCLEAR | PURGE_RXCLEAR));
    CHECK(ClearCommError(port, &errors, &queued));
    for (int i = 0; i < 20; ++i) master_drain();
    set_timeouts(port, 0, 0, 0);

    CHECK(PurgeComm(port, PURGE_RXCLEAR));
    master_drain();
    CHECK(CloseHandle(port));

    /* ---- overlapped. */
    port = open_port(FILE_FLAG_OVERLAPPED);
    set_timeouts(port, 0, 0, 0);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    OVERLAPPED ov;

    TEST("overlapped read, event notification: pending, then the bytes");
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(port, buffer, 3, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 100), WAIT_TIMEOUT);
    master_write("abc", 3);
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(port, &ov, &n, FALSE));
    CHECK_EQ(n, 3);
    CHECK(memcmp(buffer, "abc", 3) == 0);

    TEST("overlapped read with a time-out: completes successfully with fewer bytes");
    set_timeouts(port, 0, 0, 200);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    ResetEvent(event);
    master_write("k", 1);
    usleep(10000);
    start = GetTickCount();
    BOOL ok = ReadFile(port, buffer, 8, NULL, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    took = elapsed_since(start);
    CHECK(GetOverlappedResult(port, &ov, &n, FALSE));
    CHECK_EQ(n, 1);
    CHECK(took >= 150 && took < 1500);
    set_timeouts(port, MAXDWORD, 0, 0);
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    CHECK(ReadFile(port, buffer, 8, &n, &ov)); /* finishes at once */
    CHECK_EQ(n, 0);
    set_timeouts(port, 0, 0, 0);

    TEST("overlapped read, device-handle notification (no event)");
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(port, buffer, 2, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    master_write("de", 2);
    CHECK(GetOverlappedResult(port, &ov, &n, TRUE));
    CHECK_EQ(n, 2);
    CHECK(memcmp(buffer, "de", 2) == 0);

    TEST("overlapped read, completion routine (ReadFileEx)");
    memset(&ov, 0, sizeof ov);
    CHECK(ReadFileEx(port, buffer, 2, &ov, read_done));
    master_write("fg", 2);
    for (int i = 0; i < 100 && tl_load(&apc_calls) == 0; ++i) SleepEx(20, TRUE);
    CHECK_EQ(tl_load(&apc_calls), 1);
    CHECK_EQ(apc_error, 0);
    CHECK_EQ(apc_bytes, 2);

    TEST("overlapped write, and a read, through a completion port");
    HANDLE iocp = CreateIoCompletionPort(port, NULL, 77, 0);
    CHECK(iocp != NULL);
    memset(&ov, 0, sizeof ov);
    ok = WriteFile(port, "hello", 5, NULL, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    ULONG_PTR key = 0;
    LPOVERLAPPED done_ov = NULL;
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_EQ(n, 5);
    CHECK_EQ(key, 77);
    CHECK(done_ov == &ov);
    CHECK_EQ(master_read(buffer, 5, 1000), 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(port, buffer, 4, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    master_write("wxyz", 4);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_EQ(n, 4);
    CHECK(memcmp(buffer, "wxyz", 4) == 0);

    TEST("reads run in order: the second starts its clocks when the first is done");
    OVERLAPPED ov2;
    char second_buffer[4];
    memset(&ov, 0, sizeof ov);
    memset(&ov2, 0, sizeof ov2);
    CHECK(!ReadFile(port, buffer, 2, NULL, &ov));
    CHECK(!ReadFile(port, second_buffer, 2, NULL, &ov2));
    master_write("1234", 4);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK(done_ov == &ov);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK(done_ov == &ov2);
    CHECK(memcmp(buffer, "12", 2) == 0 && memcmp(second_buffer, "34", 2) == 0);

    TEST("overlapped reads with time-outs: a queued read starts its clocks when it starts");
    set_timeouts(port, 0, 0, 300);
    memset(&ov, 0, sizeof ov);
    memset(&ov2, 0, sizeof ov2);
    start = GetTickCount();
    CHECK(!ReadFile(port, buffer, 8, NULL, &ov));
    CHECK(!ReadFile(port, second_buffer, 4, NULL, &ov2));
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
    DWORD first_done = elapsed_since(start);
    CHECK(done_ov == &ov);
    CHECK_EQ(n, 0);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
    DWORD second_done = elapsed_since(start);
    CHECK(done_ov == &ov2);
    CHECK_EQ(n, 0);
    if (!(first_done >= 250 && second_done >= 550)) printf("  reads ended at %lu and %lu ms\n", (unsigned long)first_done, (unsigned long)second_done);
    CHECK(first_done >= 250 && first_done < 2000);
    CHECK(second_done >= 550 && second_done < 3000);

    TEST("overlapped reads: the interval time-out and MAXDWORD/MAXDWORD/c");
    set_timeouts(port, 100, 0, 0);
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(port, buffer, 8, NULL, &ov));
    done_ov = NULL;
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 300)); /* no byte yet: no limit */
    CHECK(done_ov == NULL);
    start = GetTickCount();
    master_write("ij", 2);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
    took = elapsed_since(start);
    CHECK_EQ(n, 2);
    CHECK(took >= 80 && took < 2000);
    set_timeouts(port, MAXDWORD, MAXDWORD, 2000);
    memset(&ov, 0, sizeof ov);
    start = GetTickCount();
    CHECK(!ReadFile(port, buffer, 8, NULL, &ov));
    usleep(100000);
    master_write("m", 1);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
    took = elapsed_since(start);
    CHECK_EQ(n, 1);
    CHECK(took < 1500); /* the first byte ended it, long before 2 s */
    set_timeouts(port, 0, 0, 0);

    TEST("WaitCommEvent, overlapped: EV_TXEMPTY after a write");
    CHECK(SetCommMask(port, EV_TXEMPTY));
    memset(&ov, 0, sizeof ov);
    CHECK(!WaitCommEvent(port, &evmask_tx, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    memset(&ov2, 0, sizeof ov2);
    ok = WriteFile(port, "t", 1, NULL, &ov2);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    int got_wait = 0, got_write = 0;
    for (int i = 0; i < 2; ++i) {
        CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
        if (done_ov == &ov) got_wait = 1;
        if (done_ov == &ov2) got_write = 1;
    }
    CHECK(got_wait && got_write);
    CHECK_EQ(evmask_tx, EV_TXEMPTY);
    master_drain();
    CHECK(SetCommMask(port, 0));

    TEST("CancelIoEx of a pending read; PurgeComm(PURGE_RXABORT) of another");
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(port, buffer, 4, NULL, &ov));
    CHECK(CancelIoEx(port, &ov));
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK(done_ov == &ov);
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(port, buffer, 4, NULL, &ov));
    CHECK(PurgeComm(port, PURGE_RXABORT));
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);

    TEST("WaitCommEvent, overlapped: EV_RXCHAR; a second wait is refused; SetCommMask ends a wait with 0");
    DWORD evmask = 0xdeadbeef;
    CHECK(SetCommMask(port, EV_RXCHAR));
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    ResetEvent(event);
    CHECK(!WaitCommEvent(port, &evmask, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    DWORD other_mask;
    memset(&ov2, 0, sizeof ov2);
    ov2.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!WaitCommEvent(port, &other_mask, &ov2));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForSingleObject(event, 100), WAIT_TIMEOUT);
    master_write("e", 1);
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(port, &ov, &n, FALSE));
    CHECK_EQ(evmask, EV_RXCHAR);
    CHECK_EQ(n, sizeof(DWORD));
    CHECK(PurgeComm(port, PURGE_RXCLEAR));
    evmask = 0xdeadbeef;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = event;
    ResetEvent(event);
    CHECK(!WaitCommEvent(port, &evmask, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(SetCommMask(port, EV_RXCHAR | EV_ERR));
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(port, &ov, &n, FALSE));
    CHECK_EQ(evmask, 0);

    TEST("WaitCommEvent through the completion port, and its cancellation (CancelIo)");
    for (;;) { /* the event tests' packets (posted just after their events are set) */
        done_ov = NULL;
        if (!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 200) && done_ov == NULL) break;
    }
    memset(&ov, 0, sizeof ov);
    CHECK(!WaitCommEvent(port, &evmask, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    master_write("r", 1);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK(done_ov == &ov);
    CHECK_EQ(evmask, EV_RXCHAR);
    CHECK(PurgeComm(port, PURGE_RXCLEAR));
    memset(&ov, 0, sizeof ov);
    CHECK(!WaitCommEvent(port, &evmask, &ov));
    CHECK(CancelIo(port));
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK(done_ov == &ov);

    TEST("an overlapped write with a time-out the other end does not take");
    COMMTIMEOUTS owt = {0, 0, 0, 0, 200};
    CHECK(SetCommTimeouts(port, &owt));
    static char big_out[1 << 20];
    memset(&ov, 0, sizeof ov);
    ok = WriteFile(port, big_out, sizeof big_out, NULL, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000));
    CHECK(done_ov == &ov);
    CHECK(n > 0 && n < sizeof big_out);
    CHECK(PurgeComm(port, PURGE_TXCLEAR));
    for (int i = 0; i < 20; ++i) master_drain();
    set_timeouts(port, 0, 0, 0);

    TEST("a write cancelled while queued behind another never goes out (CancelIoEx, PurgeComm)");
    for (int round = 0; round < 2; ++round) {
        OVERLAPPED first, queued;
        static const char marker[] = "QUEUED-WRITE";
        memset(&first, 0, sizeof first);
        memset(&queued, 0, sizeof queued);
        ok = WriteFile(port, big_out, sizeof big_out, NULL, &first); /* fills the line, pends */
        CHECK(!ok);
        CHECK_ERROR(ERROR_IO_PENDING);
        ok = WriteFile(port, marker, sizeof marker - 1, NULL, &queued); /* waits behind it */
        CHECK(!ok);
        CHECK_ERROR(ERROR_IO_PENDING);
        if (round == 0)
            CHECK(CancelIoEx(port, &queued));
        else
            CHECK(PurgeComm(port, PURGE_TXABORT | PURGE_TXCLEAR));
        int seen_first = 0, seen_queued = 0;
        for (int i = 0; i < 2; ++i) {
            done_ov = NULL;
            n = 0xdeadbeef;
            SetLastError(0xdeadbeef);
            BOOL dequeued = GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000);
            if (done_ov == &queued) {
                seen_queued = 1;
                CHECK(!dequeued);
                CHECK_ERROR(ERROR_OPERATION_ABORTED);
                CHECK_EQ(n, 0);
                CHECK_EQ(queued.Internal, STATUS_CANCELLED);
                if (round == 0) CHECK(PurgeComm(port, PURGE_TXABORT | PURGE_TXCLEAR)); /* now end the first */
            } else if (done_ov == &first) {
                seen_first = 1;
                CHECK(!dequeued);
                CHECK_ERROR(ERROR_OPERATION_ABORTED);
            }
        }
        CHECK(seen_first && seen_queued);
        /* Nothing of the cancelled write reached the other end. */
        static char arrived[1 << 16];
        size_t got = master_read(arrived, sizeof arrived, 100);
        int found = 0;
        for (size_t i = 0; i + 1 < got; ++i)
            if (arrived[i] == 'Q' && arrived[i + 1] == 'U') found = 1;
        CHECK(!found);
        for (int i = 0; i < 20; ++i) master_drain();
    }

    TEST("closing one of two handles of the port leaves its pending read alone");
    HANDLE dup = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), port, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    memset(&ov, 0, sizeof ov);
    CHECK(!ReadFile(dup, buffer, 4, NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CloseHandle(dup));
    done_ov = NULL;
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 150));
    CHECK(done_ov == NULL); /* nothing completed */
    CHECK(CancelIoEx(port, &ov));
    CHECK(!GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 2000));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);

    TEST("the hang-up: the other end closes while a read and a WaitCommEvent are pending");
    OVERLAPPED read_ov, wait_ov;
    memset(&read_ov, 0, sizeof read_ov);
    memset(&wait_ov, 0, sizeof wait_ov);
    CHECK(!ReadFile(port, buffer, 4, NULL, &read_ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(!WaitCommEvent(port, &evmask, &wait_ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    usleep(50000);
    close(master);
    int seen = 0;
    for (int i = 0; i < 2; ++i) {
        SetLastError(0xdeadbeef);
        BOOL dequeued = GetQueuedCompletionStatus(iocp, &n, &key, &done_ov, 3000);
        CHECK(!dequeued);
        CHECK_ERROR(ERROR_OPERATION_ABORTED);
        if (done_ov == &read_ov) seen |= 1;
        if (done_ov == &wait_ov) seen |= 2;
    }
    CHECK_EQ(seen, 3);
    memset(&ov, 0, sizeof ov);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(port, buffer, 4, NULL, &ov));
    CHECK_ERROR(ERROR_BAD_COMMAND);
    CHECK(!ClearCommError(port, &errors, &comstat));
    CHECK_ERROR(ERROR_BAD_COMMAND);
    CHECK(CloseHandle(port));
    CHECK(CloseHandle(iocp));
    CloseHandle(event);
    CloseHandle(ov2.hEvent);

    TEST("CloseHandle of the last handle ends the pending read and WaitCommEvent");
    open_pair();
    port = open_port(FILE_FLAG_OVERLAPPED);
    set_timeouts(port, 0, 0, 0);
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE wait_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    memset(&read_ov, 0, sizeof read_ov);
    read_ov.hEvent = event;
    memset(&wait_ov, 0, sizeof wait_ov);
    wait_ov.hEvent = wait_event;
    CHECK(SetCommMask(port, EV_RXCHAR));
    CHECK(!ReadFile(port, buffer, 4, NULL, &read_ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(!WaitCommEvent(port, &evmask, &wait_ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CloseHandle(port));
    CHECK_EQ(WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(wait_event, 2000), WAIT_OBJECT_0);
    CHECK_EQ(read_ov.Internal, STATUS_CANCELLED);
    CHECK_EQ(wait_ov.Internal, STATUS_CANCELLED);
    port = open_port(0); /* and the port can be opened again */
    CHECK(CloseHandle(port));
    CloseHandle(event);
    CloseHandle(wait_event);
    close(master);

    TEST("LPTn on a mapped file: writes and FlushFileBuffers");
    char lpt_path[] = "/tmp/overlapped-lpt-XXXXXX";
    int lpt_fd = mkstemp(lpt_path);
    CHECK(lpt_fd >= 0);
    close(lpt_fd);
    char lpt_map[128];
    snprintf(lpt_map, sizeof lpt_map, "LPT1=%s", lpt_path);
    setenv("OVERLAPPED_LPT", lpt_map, 1);
    HANDLE printer = CreateFileA("LPT1", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(printer != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(printer, "page one\f", 9, &n, NULL));
    CHECK_EQ(n, 9);
    CHECK(FlushFileBuffers(printer));
    CHECK(CloseHandle(printer));
    struct stat st;
    CHECK(stat(lpt_path, &st) == 0 && st.st_size == 9);
    unlink(lpt_path);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileA("LPT9", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND); /* no /dev/lp8 here */

    return tl_finish();
}
