// test_serial_rules.cpp: Windows' COMMTIMEOUTS read rules (src/drivers/serial.h) on a
// clock of our own making, so every boundary is checked exactly, without sleeping: when
// a read of n bytes with d done is over, and when it must look again.
#include "drivers/serial.h"
#include "testlib.h"

using overlapped::drivers::serial_read_decide;
using overlapped::drivers::serial_read_start;
using overlapped::drivers::serial_timeouts_valid;
using overlapped::drivers::SerialReadClock;

static COMMTIMEOUTS timeouts(DWORD interval, DWORD multiplier, DWORD constant)
{
    return COMMTIMEOUTS{interval, multiplier, constant, 0, 0};
}

int main()
{
    uint64_t wake = 0;
    const uint64_t t0 = 1000000;

    TEST("MAXDWORD/0/0: over at once, whatever was read");
    SerialReadClock c = serial_read_start(timeouts(MAXDWORD, 0, 0), 10, t0);
    CHECK(serial_read_decide(c, 0, 10, t0, &wake));
    CHECK(serial_read_decide(c, 3, 10, t0, &wake));

    TEST("MAXDWORD/MAXDWORD/c: the first bytes end it; nothing by c is a time-out");
    c = serial_read_start(timeouts(MAXDWORD, MAXDWORD, 500), 10, t0);
    CHECK(!serial_read_decide(c, 0, 10, t0, &wake));
    CHECK_EQ(wake, t0 + 500);
    CHECK(!serial_read_decide(c, 0, 10, t0 + 499, &wake));
    CHECK(serial_read_decide(c, 0, 10, t0 + 500, &wake));
    CHECK(serial_read_decide(c, 1, 10, t0 + 10, &wake));
    // MAXDWORD as the constant is not the special case: a plain total time-out of
    // MAXDWORD x n + MAXDWORD, and an interval of MAXDWORD ms.
    c = serial_read_start(timeouts(MAXDWORD, MAXDWORD, MAXDWORD), 1, t0);
    CHECK(!serial_read_decide(c, 0, 1, t0 + 100000, &wake));
    CHECK_EQ(wake, t0 + 2ull * MAXDWORD);

    TEST("total time-out: multiplier x bytes asked + constant, from the start");
    c = serial_read_start(timeouts(0, 10, 100), 20, t0);
    CHECK(!serial_read_decide(c, 5, 20, t0 + 299, &wake));
    CHECK_EQ(wake, t0 + 300);
    CHECK(serial_read_decide(c, 5, 20, t0 + 300, &wake));
    CHECK(serial_read_decide(c, 20, 20, t0 + 1, &wake)); /* full: over */

    TEST("interval time-out: only after the first byte, from the last one");
    c = serial_read_start(timeouts(50, 0, 0), 10, t0);
    CHECK(!serial_read_decide(c, 0, 10, t0 + 100000, &wake)); /* no byte yet: no limit */
    CHECK_EQ(wake, 0);
    c.last_data = t0 + 200;
    CHECK(!serial_read_decide(c, 2, 10, t0 + 249, &wake));
    CHECK_EQ(wake, t0 + 250);
    CHECK(serial_read_decide(c, 2, 10, t0 + 250, &wake));

    TEST("interval and total together: whichever comes first");
    c = serial_read_start(timeouts(100, 0, 150), 10, t0);
    c.last_data = t0 + 120;
    CHECK(!serial_read_decide(c, 1, 10, t0 + 130, &wake));
    CHECK_EQ(wake, t0 + 150); /* the total ends before the gap would */
    CHECK(serial_read_decide(c, 1, 10, t0 + 150, &wake));

    TEST("no time-outs: waits until the buffer is full");
    c = serial_read_start(timeouts(0, 0, 0), 4, t0);
    CHECK(!serial_read_decide(c, 3, 4, t0 + 1000000, &wake));
    CHECK_EQ(wake, 0);
    CHECK(serial_read_decide(c, 4, 4, t0, &wake));

    TEST("SetCommTimeouts: all three read values MAXDWORD are refused, nothing else");
    CHECK(!serial_timeouts_valid(timeouts(MAXDWORD, MAXDWORD, MAXDWORD)));
    CHECK(serial_timeouts_valid(timeouts(MAXDWORD, MAXDWORD, 1)));
    CHECK(serial_timeouts_valid(timeouts(MAXDWORD, 0, 0)));
    CHECK(serial_timeouts_valid(timeouts(0, MAXDWORD, MAXDWORD)));

    return tl_finish();
}
