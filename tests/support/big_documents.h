#pragma once
// The big generated documents that the unit tests check answers on and bench/features_bench
// times (the same work in both places): a 497-member JSONC document, a 500-line
// devcontainer.json and a 5,000-line Dockerfile of 52 stages.
#include <string>

namespace envbuilder::testing {

inline std::string big_jsonc_document() {
    std::string text = "{\n  // generated\n";
    for (int i = 0; i < 496; ++i) {
        text += "  \"property" + std::to_string(i) + "\": " +
                (i % 3 == 0   ? "\"value with some text ${localEnv:HOME}\""
                 : i % 3 == 1 ? "[1, 2, true, null]"
                              : "{\"k\": 1.5}") +
                ",\n";
    }
    return text + "  \"last\": 0\n}\n";
}

// 500 containerEnv members (line 250 is one of them), then "image" and a blank line before the
// closing brace (line_count() - 3).
inline std::string big_devcontainer_document() {
    std::string text = "{\n  \"name\": \"big\",\n  \"containerEnv\": {\n";
    for (int i = 0; i < 500; ++i)
        text += "    \"VAR_" + std::to_string(i) + "\": \"${localEnv:HOME}/value/" +
                std::to_string(i) + "\",\n";
    return text + "    \"LAST\": \"x\"\n  },\n  \"image\": \"x\",\n  \n}\n";
}

// 52 stages of 24 ENV/RUN/COPY groups each; every RUN continuation line has trailing blanks and
// no indentation (what formatting fixes).
inline std::string big_dockerfile_document() {
    std::string text = "# syntax=docker/dockerfile:1\nARG BASE=alpine\n";
    for (int s = 0; s < 52; ++s) {
        text += "FROM ${BASE} AS s" + std::to_string(s) + "\n";
        for (int i = 0; i < 24; ++i) {
            text +=
                "ENV V" + std::to_string(i) + "=\"$V" + std::to_string(i ? i - 1 : 0) + " x\"\n";
            text += "RUN --mount=type=cache,target=/c echo $V" + std::to_string(i) + " \\\n";
            text += "  && make ${V" + std::to_string(i) + "}   \n";
            text += "COPY --from=s" + std::to_string(s ? s - 1 : 0) + " /a /b\n";
        }
    }
    return text;
}

}  // namespace envbuilder::testing
