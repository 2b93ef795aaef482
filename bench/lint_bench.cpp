// Parse + lint throughput on generated inputs: a 5,000-line Dockerfile and a 500-line
// devcontainer.json. Prints the median of repeated runs, in milliseconds, as JSON so that
// bench/run can put it beside the Node peer measured in the same run.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/dockerfile_lint.h"
#include "devcontainer/devcontainer.h"
#include "median.h"
#include "syntax/dockerfile_parser.h"

namespace {

using envbuilder::bench::median_ms;

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: lint_bench DOCKERFILE DEVCONTAINER_JSON\n";
        return 2;
    }
    const std::string dockerfile = read(argv[1]);
    const std::string devcontainer = read(argv[2]);
    size_t findings = 0;
    double df_ms = median_ms(51, [&] {
        auto df = envbuilder::dockerfile::parse(dockerfile);
        findings = envbuilder::lint_dockerfile(df).size();
    });
    double parse_ms = median_ms(51, [&] {
        findings += envbuilder::dockerfile::parse(dockerfile).instructions.size() > 0 ? 0 : 1;
    });
    size_t dc_findings = 0;
    envbuilder::SourceText dc_text(devcontainer);
    double dc_ms = median_ms(51, [&] {
        dc_findings = envbuilder::devcontainer::analyze_devcontainer(
                          dc_text, std::filesystem::absolute(argv[2]))
                          .diagnostics.size();
    });
    std::cout << "{\"dockerfile_ms\": " << df_ms << ", \"dockerfile_parse_ms\": " << parse_ms
              << ", \"dockerfile_findings\": " << findings << ", \"devcontainer_ms\": " << dc_ms
              << ", \"devcontainer_findings\": " << dc_findings << "}\n";
    return 0;
}
