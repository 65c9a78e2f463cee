// test_windef_minmax.cpp: windef.h's min and max in C++ (templates there, macros in C)
// give the value the Windows SDK's macros give, for arguments of one type and of two,
// beside std::min/std::max. The arguments come from functions the compiler cannot see
// through, so a result that referred to a finished call's parameter would show.
#include <algorithm>
#include <stdlib.h>

#include "testlib.h"

static int __attribute__((noinline)) parsed(const char *text) { return atoi(text); }

static int __attribute__((noinline)) clamp_count(const char *text) { return min(64, parsed(text)); }

static int __attribute__((noinline)) at_least_one(const char *text) { return max(1, parsed(text)); }

int main()
{
    TEST("min/max of two ints (one type) are values");
    CHECK_EQ(clamp_count("2"), 2);
    CHECK_EQ(clamp_count("100"), 64);
    CHECK_EQ(at_least_one("5"), 5);
    CHECK_EQ(at_least_one("-3"), 1);

    TEST("min/max of two types and of lvalues");
    short small = 3;
    long big = 7;
    CHECK_EQ(min(small, big), 3);
    CHECK_EQ(max(small, big), 7);
    int x = 9, y = 4;
    int lowest = min(x, y);
    x = 0;
    y = 0;
    CHECK_EQ(lowest, 4);
    CHECK_EQ(max(2.5, 1) > 2.4, 1);

    TEST("std::min/std::max still usable after windows.h");
    CHECK_EQ(std::min(5, 6), 5);
    CHECK_EQ(std::max<unsigned>(5u, 6u), 6);
    return tl_finish();
}
