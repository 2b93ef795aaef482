#include <catch2/catch.hpp>

#include "language/dockerfile_docs.h"
#include "syntax/instruction_flags.h"

using namespace envbuilder;
using dockerfile::InstructionKind;

// The flag table (syntax/instruction_flags.cpp) says which flags exist; the docs describe them.
// Every flag has its documentation, and no documentation describes a flag that does not exist.
TEST_CASE("every flag of the table is documented, and only those", "[language][docs]") {
    for (int k = 0; k < static_cast<int>(InstructionKind::Unknown); ++k) {
        const auto kind = static_cast<InstructionKind>(k);
        for (const auto& spec : dockerfile::accepted_flags(kind)) {
            INFO(dockerfile::keyword_name(kind) << " --" << spec.name);
            const auto* doc = language::docs::flag(kind, spec.name);
            REQUIRE(doc);
            CHECK(!doc->summary.empty());
        }
    }
    for (const auto& doc : language::docs::flags()) {
        INFO(dockerfile::keyword_name(doc.kind) << " --" << doc.name);
        CHECK(dockerfile::find_flag(doc.kind, doc.name));
    }
}
