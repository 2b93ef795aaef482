#pragma once
// A test that cannot run on this machine says so instead of passing silently. Catch2 2 has no
// SKIP: the reason is a warning in every reporter's output, and the test case is counted as
// skipped; when every test case a run selected was skipped, the binary exits with
// ENVBUILDER_SKIPPED_EXIT (tests/support/test_main.cpp), which CTest's SKIP_RETURN_CODE reports
// as "Skipped".
#include <unistd.h>

#include <catch2/catch.hpp>

namespace envbuilder::testing {
// Marks the running test case as skipped (counted once per case).
void note_skipped();
}  // namespace envbuilder::testing

#define SKIP_TEST(why)                         \
    do {                                       \
        WARN("skipped: " << (why));            \
        ::envbuilder::testing::note_skipped(); \
        return;                                \
    } while (0)

// RUN, mounts, ownership and devices need root here (CI runs as root).
#define SKIP_UNLESS_ROOT() \
    if (::geteuid() != 0) SKIP_TEST("needs root (CI runs as root)")
