// The main of both test binaries: Catch2's session, plus the skip accounting of skip.h.
#define CATCH_CONFIG_RUNNER
#include <cstdlib>
#include <string>

#include "skip.h"

namespace envbuilder::testing {
namespace {
size_t cases_run = 0, cases_skipped = 0;
bool current_skipped = false;
}  // namespace

void note_skipped() {
    if (!current_skipped) ++cases_skipped;
    current_skipped = true;
}

struct SkipCounter : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testCaseStarting(const Catch::TestCaseInfo&) override {
        ++cases_run;
        current_skipped = false;
    }
};
}  // namespace envbuilder::testing

using envbuilder::testing::SkipCounter;
CATCH_REGISTER_LISTENER(SkipCounter)

int main(int argc, char* argv[]) {
    const int failures = Catch::Session().run(argc, argv);
    using namespace envbuilder::testing;
    if (failures == 0 && cases_run > 0 && cases_skipped == cases_run)
        if (const char* code = std::getenv("ENVBUILDER_SKIPPED_EXIT")) return std::atoi(code);
    return failures;
}
