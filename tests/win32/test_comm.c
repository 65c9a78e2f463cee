/* test_comm.c: the serial-port facts that need no port at the other end of a line:
 * BuildCommDCB's two syntaxes (what each key sets, what it leaves alone, what it
 * refuses), BuildCommDCBAndTimeouts' to=, the errors for a COM port that does not exist
 * and for handles that are not COM ports. The port itself (a pty driven from the other
 * end) is tests/linux/test_comm_pty.c; see WINE_DEVIATIONS_comm.md. */
#include "testlib.h"

/* A DCB filled with `fill`, as a program's uninitialised one would be. */
static DCB filled(int fill)
{
    DCB dcb;
    memset(&dcb, fill, sizeof dcb);
    return dcb;
}

static BOOL build(const char *text, DCB *dcb, int fill)
{
    *dcb = filled(fill);
    SetLastError(0xdeadbeef);
    return BuildCommDCBA(text, dcb);
}

/* A string the parser refuses: FALSE, ERROR_INVALID_PARAMETER, the DCB untouched. */
static void check_refused(const char *text)
{
    for (int fill = 0; fill <= 0xff; fill += 0xff) {
        DCB dcb, before = filled(fill);
        BOOL ok = build(text, &dcb, fill);
        if (ok) printf("  accepted: \"%s\"\n", text);
        CHECK(!ok);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        /* NT leaves DCBlength; Windows 9x (and Wine) set it, which Wine's own test accepts */
        CHECK(dcb.DCBlength == before.DCBlength || dcb.DCBlength == sizeof(DCB));
        CHECK(memcmp((char *)&dcb + sizeof(DWORD), (char *)&before + sizeof(DWORD), sizeof dcb - sizeof(DWORD)) == 0);
    }
}

int main(void)
{
    DCB dcb;
    COMMTIMEOUTS timeouts;

    TEST("BuildCommDCB, key=value form: each key sets its own fields");
    CHECK(build("baud=9600 parity=e data=5 stop=1 xon=on odsr=off octs=off dtr=on rts=on idsr=on", &dcb, 0));
    CHECK_ERROR(0xdeadbeef);
    CHECK_EQ(dcb.BaudRate, 9600);
    CHECK_EQ(dcb.Parity, EVENPARITY);
    CHECK_EQ(dcb.ByteSize, 5);
    CHECK_EQ(dcb.StopBits, ONESTOPBIT);
    CHECK_EQ(dcb.fOutX, 1);
    CHECK_EQ(dcb.fInX, 1);
    CHECK_EQ(dcb.fOutxDsrFlow, 0);
    CHECK_EQ(dcb.fOutxCtsFlow, 0);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_ENABLE);
    CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_ENABLE);
    CHECK_EQ(dcb.fDsrSensitivity, 1);
    CHECK(dcb.DCBlength == 0 || dcb.DCBlength == sizeof(DCB)); /* NT leaves it, 9x and Wine set it */
    CHECK_EQ(dcb.fBinary, 0);
    CHECK_EQ(dcb.fParity, 0); /* parity= is not parity checking */

    TEST("BuildCommDCB, key=value form: what is not named is left as it was");
    CHECK(build("PaRiTy=s           Data=7          DTR=on", &dcb, 0xff));
    CHECK_EQ(dcb.Parity, SPACEPARITY);
    CHECK_EQ(dcb.ByteSize, 7);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_ENABLE);
    CHECK_EQ(dcb.BaudRate, 0xffffffffu);
    CHECK_EQ(dcb.fRtsControl, 3);
    CHECK_EQ(dcb.fOutX, 1);
    CHECK_EQ(dcb.XonLim, 0xffff);
    CHECK_EQ((BYTE)dcb.EvtChar, 0xff);
    CHECK_EQ(dcb.StopBits, ONESTOPBIT); /* no stop=: one stop bit */

    TEST("BuildCommDCB, key=value form: off, hs, 1.5 stop bits, a large baud rate as it is");
    CHECK(build("baud=0 parity=M data=6 stop=1.5 xon=off odsr=on octs=ON dtr=off rts=off idsr=OFF", &dcb, 0xff));
    CHECK_EQ(dcb.BaudRate, 0);
    CHECK_EQ(dcb.Parity, MARKPARITY);
    CHECK_EQ(dcb.StopBits, ONE5STOPBITS);
    CHECK_EQ(dcb.fOutX, 0);
    CHECK_EQ(dcb.fInX, 0);
    CHECK_EQ(dcb.fOutxDsrFlow, 1);
    CHECK_EQ(dcb.fOutxCtsFlow, 1);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_DISABLE);
    CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_DISABLE);
    CHECK_EQ(dcb.fDsrSensitivity, 0);
    CHECK(build("BAUD=4000000000 parity=n data=7 stop=2 to=off", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 4000000000u);
    CHECK_EQ(dcb.StopBits, TWOSTOPBITS);
    WINE_DEVIATION("Wine's BuildCommDCB knows only on/off for dtr= and rts=; the MODE syntax it follows has hs and tg")
    {
        CHECK(build("dtr=hs rts=hs", &dcb, 0));
        CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_HANDSHAKE);
        CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_HANDSHAKE);
        CHECK(build("rts=tg", &dcb, 0));
        CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_TOGGLE);
    }

    TEST("BuildCommDCB, the old comma form: baud abbreviations, parity, data, stop, flow");
    CHECK(build("11,n,8,1", &dcb, 0xff));
    CHECK_EQ(dcb.BaudRate, 110);
    CHECK_EQ(dcb.Parity, NOPARITY);
    CHECK_EQ(dcb.ByteSize, 8);
    CHECK_EQ(dcb.StopBits, ONESTOPBIT);
    CHECK_EQ(dcb.fOutxCtsFlow, 0);
    CHECK_EQ(dcb.fOutxDsrFlow, 0);
    CHECK_EQ(dcb.fOutX, 0);
    CHECK_EQ(dcb.fInX, 0);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_ENABLE);
    CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_ENABLE);
    CHECK_EQ(dcb.fDsrSensitivity, 1); /* left alone */
    CHECK_EQ(dcb.fBinary, 1);
    CHECK(build("30 ,E, 5,1.5", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 300);
    CHECK_EQ(dcb.Parity, EVENPARITY);
    CHECK_EQ(dcb.ByteSize, 5);
    CHECK_EQ(dcb.StopBits, ONE5STOPBITS);
    CHECK(build("60, m, 6, 2 ", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 600);
    CHECK_EQ(dcb.StopBits, TWOSTOPBITS);
    CHECK(build("12 , o , 7 , 1", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 1200);
    CHECK(build("24,s,8,1.5", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 2400);
    CHECK(build("19, e, 7, 1, x", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 19200);
    CHECK_EQ(dcb.fOutX, 1);
    CHECK_EQ(dcb.fInX, 1);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_ENABLE);
    CHECK(build("48,n,8,1,p", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 4800);
    CHECK_EQ(dcb.fOutxCtsFlow, 1);
    CHECK_EQ(dcb.fOutxDsrFlow, 1);
    CHECK_EQ(dcb.fDtrControl, DTR_CONTROL_HANDSHAKE);
    CHECK_EQ(dcb.fRtsControl, RTS_CONTROL_HANDSHAKE);
    CHECK_EQ(dcb.fOutX, 0);
    CHECK(build("96,N,8,1 , x ", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 9600);
    CHECK(build("4000000000,O,7,1.5,X", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 4000000000u); /* not an abbreviation: as it is */

    TEST("BuildCommDCB: a COMn: prefix");
    CHECK(build("COM1:baud=38400 data=8", &dcb, 0xff));
    CHECK_EQ(dcb.BaudRate, 38400);
    CHECK_EQ(dcb.ByteSize, 8);
    CHECK_EQ(dcb.Parity, 0xff);
    CHECK(build("COM1  :    57600,S,6,2,x", &dcb, 0));
    CHECK_EQ(dcb.BaudRate, 57600);
    CHECK_EQ(dcb.Parity, SPACEPARITY);
    CHECK_EQ(dcb.ByteSize, 6);
    check_refused("COM0:baud=115200");
    check_refused("COM0:9600,N,8,1");

    TEST("BuildCommDCB: what it refuses leaves the DCB as it was");
    check_refused("data=4");
    check_refused("data=9");
    check_refused("parity=no");
    check_refused("stop=0");
    check_refused("stop=1.501");
    check_refused("stop=3");
    check_refused("to=foobar");
    check_refused(" baud=9600");
    check_refused("baud= 9600");
    check_refused("baud=9600,data=8");
    check_refused("colour=blue");
    check_refused("96,N,8,1 to=on");
    check_refused("96,NO,8,1");
    check_refused("96,N,4,1");
    check_refused("96,N,9,1");
    check_refused("96,N,8,0");
    check_refused("96,N,8,3");
    check_refused("96,N,8,1,K");

    TEST("BuildCommDCBAndTimeouts: to=on is a one-minute write time-out; to=off clears; none leaves");
    memset(&timeouts, 0xff, sizeof timeouts);
    dcb = filled(0);
    CHECK(BuildCommDCBAndTimeoutsA("Baud=115200 Parity=O Data=8 To=On", &dcb, &timeouts));
    CHECK_EQ(dcb.BaudRate, 115200);
    CHECK_EQ(timeouts.ReadIntervalTimeout, 0);
    CHECK_EQ(timeouts.ReadTotalTimeoutMultiplier, 0);
    CHECK_EQ(timeouts.ReadTotalTimeoutConstant, 0);
    CHECK_EQ(timeouts.WriteTotalTimeoutMultiplier, 0);
    CHECK_EQ(timeouts.WriteTotalTimeoutConstant, 60000);
    memset(&timeouts, 0xff, sizeof timeouts);
    CHECK(BuildCommDCBAndTimeoutsA("baud=9600 to=off", &dcb, &timeouts));
    CHECK_EQ(timeouts.WriteTotalTimeoutConstant, 0);
    CHECK_EQ(timeouts.ReadIntervalTimeout, 0);
    memset(&timeouts, 0xff, sizeof timeouts);
    CHECK(BuildCommDCBAndTimeoutsA("baud=9600", &dcb, &timeouts));
    CHECK_EQ(timeouts.WriteTotalTimeoutConstant, 0xffffffffu);
    CHECK(BuildCommDCBA("baud=1200 to=on", &dcb)); /* accepted, nothing to fill */
    CHECK_EQ(dcb.BaudRate, 1200);

    TEST("BuildCommDCBW");
    dcb = filled(0);
    CHECK(BuildCommDCBW(L"baud=2400 parity=o data=7 stop=2", &dcb));
    CHECK_EQ(dcb.BaudRate, 2400);
    CHECK_EQ(dcb.Parity, ODDPARITY);
    CHECK_EQ(dcb.StopBits, TWOSTOPBITS);
    SetLastError(0xdeadbeef);
    CHECK(!BuildCommDCBW(L"data=4", &dcb));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    memset(&timeouts, 0xff, sizeof timeouts);
    CHECK(BuildCommDCBAndTimeoutsW(L"96,N,8,1", &dcb, &timeouts));
    CHECK_EQ(dcb.BaudRate, 9600);
    CHECK_EQ(timeouts.ReadTotalTimeoutConstant, 0xffffffffu);

    TEST("a COM port that does not exist");
    SetLastError(0xdeadbeef);
    HANDLE port = CreateFileA("COM200", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(port == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    port = CreateFileA("\\\\.\\COM201", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(port == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("the comm functions on handles that are not COM ports");
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!GetCommState(event, &dcb));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(!SetCommMask(event, EV_RXCHAR));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(!GetCommTimeouts(INVALID_HANDLE_VALUE, &timeouts));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
    char path[MAX_PATH];
    GetTempPathA(sizeof path, path);
    strcat(path, "overlapped-comm-test.tmp");
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    BOOL ok = GetCommState(file, &dcb);
    DWORD error = GetLastError();
    CHECK(!ok);
    WINE_DEVIATION("Wine answers a serial call on a disk file with ERROR_INVALID_HANDLE; Windows fails the IOCTL as an invalid device request")
    {
        CHECK_EQ(error, ERROR_INVALID_FUNCTION);
    }
    DWORD mask = 0;
    CHECK(!WaitCommEvent(file, &mask, NULL));
    CloseHandle(file);

    return tl_finish();
}
