#pragma once
// A test that cannot run on this machine says so (Catch2 2 has no SKIP: a warning, shown in
// every reporter's output and counted by `ctest`'s log), instead of passing silently.
#include <unistd.h>
#include <catch2/catch.hpp>

#define SKIP_TEST(why)              \
    do {                            \
        WARN("skipped: " << (why)); \
        return;                     \
    } while (0)

// RUN, mounts, ownership and devices need root here (CI runs as root).
#define SKIP_UNLESS_ROOT() \
    if (::geteuid() != 0) SKIP_TEST("needs root (CI runs as root)")
