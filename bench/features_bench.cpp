// Editor feature and JSONC parse speed on generated documents: the work the unit tests do on big
// inputs (tests/unit/syntax/jsonc_test.cpp, language/devcontainer_features_test.cpp,
// language/dockerfile_features_test.cpp), timed here instead (speed targets live in benchmarks, not
// in timed unit tests):
//   jsonc_parse_ms          one parse of a 497-member JSONC document
//   devcontainer_ms         hover + completion + symbols on a 500-line devcontainer.json
//   dockerfile_<feature>_ms hover, completion, symbols, references, definition and formatting
//                           on a 5,000-line Dockerfile (each its own figure)
// Prints the median of repeated runs, in milliseconds, as one line of JSON for bench/run. The
// answers are checked first: a benchmark of wrong answers measures nothing.
#include <cstdlib>
#include <iostream>
#include <string>

#include "big_documents.h"
#include "language/devcontainer/features.h"
#include "language/dockerfile_features.h"
#include "median.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/jsonc.h"

namespace {

using namespace envbuilder;
using namespace envbuilder::language;
using envbuilder::bench::median_ms;
using namespace envbuilder::testing;

void expect(bool ok, const char* what) {
    if (ok) return;
    std::cerr << "features_bench: wrong answer: " << what << "\n";
    std::exit(1);
}

}  // namespace

int main() {
    constexpr int kRuns = 21;

    SourceText json(big_jsonc_document());
    expect(jsonc::parse(json).root->members.size() == 497, "jsonc members");
    double jsonc_ms = median_ms(kRuns, [&] { (void)jsonc::parse(json); });

    SourceText dc(big_devcontainer_document());
    const Position dc_value{250, 25}, dc_blank{dc.line_count() - 3, 2};
    expect(devcontainer_hover(dc, dc_value).has_value(), "devcontainer hover");
    expect(!devcontainer_complete(dc, dc_blank).empty(), "devcontainer completion");
    expect(devcontainer_symbols(dc).size() == 3, "devcontainer symbols");
    double dc_ms = median_ms(kRuns, [&] {
        (void)devcontainer_hover(dc, dc_value);
        (void)devcontainer_complete(dc, dc_blank);
        (void)devcontainer_symbols(dc);
    });

    auto df = dockerfile::parse(big_dockerfile_document());
    expect(df.source.line_count() > 4900, "Dockerfile size");
    const Position middle{2500, 12}, line_start{2500, 0}, last_use{df.source.line_count() - 2, 13};
    expect(hover(df, middle).has_value(), "hover");
    expect(!complete(df, line_start).empty(), "completion");
    expect(document_symbols(df).size() == 54, "symbols");
    expect(references(df, last_use, true).size() >= 2, "references");
    expect(definition(df, middle).has_value(), "definition");
    expect(format(df).size() == 52 * 24 * 2, "formatting");
    double hover_ms = median_ms(kRuns, [&] { (void)hover(df, middle); });
    double complete_ms = median_ms(kRuns, [&] { (void)complete(df, line_start); });
    double symbols_ms = median_ms(kRuns, [&] { (void)document_symbols(df); });
    double references_ms = median_ms(kRuns, [&] { (void)references(df, last_use, true); });
    double definition_ms = median_ms(kRuns, [&] { (void)definition(df, middle); });
    double format_ms = median_ms(kRuns, [&] { (void)format(df); });

    std::cout << "{\"jsonc_parse_ms\": " << jsonc_ms << ", \"devcontainer_ms\": " << dc_ms
              << ", \"dockerfile_hover_ms\": " << hover_ms
              << ", \"dockerfile_completion_ms\": " << complete_ms
              << ", \"dockerfile_symbols_ms\": " << symbols_ms
              << ", \"dockerfile_references_ms\": " << references_ms
              << ", \"dockerfile_definition_ms\": " << definition_ms
              << ", \"dockerfile_formatting_ms\": " << format_ms << "}\n";
    return 0;
}
