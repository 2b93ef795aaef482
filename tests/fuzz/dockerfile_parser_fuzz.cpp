// libFuzzer target: the Dockerfile parser, on any bytes (a Dockerfile is whatever the user saved),
// and the linter on its result, as the language server runs both on every keystroke.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analysis/dockerfile_lint.h"
#include "syntax/dockerfile_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    envbuilder::dockerfile::Dockerfile parsed = envbuilder::dockerfile::parse(text);
    (void)envbuilder::lint_dockerfile(parsed);
    // The word splitter and unquoting, with both escape characters Dockerfiles allow.
    for (char escape : {'\\', '`'}) {
        for (auto [begin, end] : envbuilder::dockerfile::split_words(text, escape)) {
            if (begin > end || end > text.size()) __builtin_trap();
            (void)envbuilder::dockerfile::unquote(std::string_view(text).substr(begin, end - begin),
                                                  escape);
        }
    }
    return 0;
}
