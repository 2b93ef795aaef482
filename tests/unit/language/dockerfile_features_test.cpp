// The Dockerfile editor features (engine/language): hover, completion, document symbols,
// definition/references and formatting, with exact ranges (0-based line, UTF-16 column).
#include <catch2/catch.hpp>

#include "completion_test_support.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/rules/instruction_checks.h"
#include "big_documents.h"
#include "language/dockerfile_docs.h"
#include "language/dockerfile_features.h"
#include "syntax/dockerfile_parser.h"

using namespace envbuilder;
using namespace envbuilder::language;
using dockerfile::parse;

namespace {

Range R(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
    return {{l1, c1}, {l2, c2}};
}
Position P(uint32_t l, uint32_t c) {
    return {l, c};
}

using envbuilder::testing::has;
using envbuilder::testing::item;
using envbuilder::testing::labels;

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string apply(const std::string& text, std::vector<TextEdit> edits) {
    SourceText src(text);
    std::sort(edits.begin(), edits.end(),
              [](const TextEdit& a, const TextEdit& b) { return b.range.start < a.range.start; });
    std::string out = text;
    for (const auto& e : edits) {
        size_t b = src.offset_at(e.range.start), en = src.offset_at(e.range.end);
        out.replace(b, en - b, e.new_text);
    }
    return out;
}

// Formatting edits as "line:col-line:col[new text]", space separated.
std::string fmt(const std::string& text, FormattingOptions options = {}) {
    std::string out;
    for (const auto& e : format(parse(text), options)) {
        if (!out.empty()) out += ' ';
        out += std::to_string(e.range.start.line) + ":" + std::to_string(e.range.start.character) +
               "-" + std::to_string(e.range.end.line) + ":" +
               std::to_string(e.range.end.character) + "[" + e.new_text + "]";
    }
    return out;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The shared document of the hover/navigation tests. Line 4 holds an emoji (two UTF-16 units,
// four bytes) and line 3 accented letters (one unit, two bytes), so columns are UTF-16.
const char* kDoc =
    "# syntax=docker/dockerfile:1\n"                                   // 0
    "ARG VERSION=1.0\n"                                                // 1
    "FROM alpine:${VERSION} AS build\n"                                // 2
    "ENV GREETING=\"héllo wörld\" NAME=x\n"                            // 3
    "RUN echo \"😀 $GREETING ${NAME}\"\n"                               // 4
    "ARG VERSION\n"                                                    // 5
    "RUN echo $VERSION $MISSING\n"                                     // 6
    "FROM build AS final\n"                                            // 7
    "COPY --from=build /a /b\n"                                        // 8
    "RUN --mount=type=cache,from=Build,target=/c echo ${GREETING}\n";  // 9

}  // namespace

// ---------------------------------------------------------------- hover

TEST_CASE("hover documents instruction keywords, also inside ONBUILD", "[features]") {
    auto df = parse("FROM alpine\nRUN echo hi\nonbuild copy . /x\n");
    auto h = hover(df, P(1, 1));
    REQUIRE(h);
    CHECK(h->range == R(1, 0, 1, 3));
    CHECK(h->markdown.rfind("**RUN**", 0) == 0);
    CHECK(contains(h->markdown, "```dockerfile"));
    h = hover(df, P(2, 10));
    REQUIRE(h);
    CHECK(h->range == R(2, 8, 2, 12));
    CHECK(h->markdown.rfind("**COPY**", 0) == 0);
    h = hover(df, P(2, 2));
    REQUIRE(h);
    CHECK(h->markdown.rfind("**ONBUILD**", 0) == 0);
    CHECK_FALSE(hover(df, P(0, 11)));  // after the image name: nothing to say
}

TEST_CASE("hover documents flags, and every accepted flag has documentation", "[features]") {
    auto df = parse(
        "FROM a\nRUN --mount=type=cache,target=/x --network=none make\n"
        "HEALTHCHECK --start-interval=2s CMD true\n");
    auto h = hover(df, P(1, 6));
    REQUIRE(h);
    CHECK(h->range == R(1, 4, 1, 11));
    for (const char* word :
         {"--mount", "cache", "secret", "ssh", "tmpfs", "bind", "sharing", "target"})
        CHECK(contains(h->markdown, word));
    h = hover(df, P(1, 36));
    REQUIRE(h);
    CHECK(h->range == R(1, 33, 1, 42));
    CHECK(contains(h->markdown, "`host`"));
    h = hover(df, P(2, 14));
    REQUIRE(h);
    CHECK(h->range == R(2, 12, 2, 28));
    CHECK(contains(h->markdown, "start period"));

    using dockerfile::InstructionKind;
    namespace checks = rules::instruction_checks;
    size_t documented = 0;
    for (int k = 0; k < static_cast<int>(InstructionKind::Unknown); ++k) {
        auto kind = static_cast<InstructionKind>(k);
        CHECK_FALSE(docs::instruction(kind).markdown.empty());
        CHECK_FALSE(docs::instruction(kind).summary.empty());
        for (const auto& spec : checks::accepted_flags(kind)) {
            INFO(dockerfile::keyword_name(kind) << " --" << spec.name);
            CHECK(docs::flag(kind, spec.name) != nullptr);
            ++documented;
        }
    }
    CHECK(documented == docs::flags().size());  // and no documentation for flags that do not exist
    CHECK(documented == 23);
}

TEST_CASE("hover shows the value and declaration of variables", "[features]") {
    auto df = parse(kDoc);
    // ENV value, on a line with an emoji before the reference.
    auto h = hover(df, P(4, 16));
    REQUIRE(h);
    CHECK(h->range == R(4, 13, 4, 22));
    CHECK(contains(h->markdown, "**ENV** `GREETING`"));
    CHECK(contains(h->markdown, "Value here: `héllo wörld`"));
    CHECK(contains(h->markdown, "Declared on line 4."));
    h = hover(df, P(4, 26));
    REQUIRE(h);
    CHECK(h->range == R(4, 23, 4, 30));
    CHECK(contains(h->markdown, "Value here: `x`"));

    // A stage ARG that brings a global in: the global's value.
    h = hover(df, P(6, 12));
    REQUIRE(h);
    CHECK(h->range == R(6, 9, 6, 17));
    CHECK(contains(h->markdown, "**ARG** `VERSION`"));
    CHECK(contains(h->markdown, "Value here: `1.0`"));
    CHECK(contains(h->markdown, "Declared on line 6."));
    CHECK(contains(h->markdown, "global ARG of line 2"));

    // Not declared.
    h = hover(df, P(6, 20));
    REQUIRE(h);
    CHECK(h->range == R(6, 18, 6, 26));
    CHECK(contains(h->markdown, "`MISSING` is not declared"));

    // FROM lines see the global ARGs.
    h = hover(df, P(2, 15));
    REQUIRE(h);
    CHECK(h->range == R(2, 12, 2, 22));
    CHECK(contains(h->markdown, "**global ARG** `VERSION`"));
    CHECK(contains(h->markdown, "Value here: `1.0`"));
    CHECK(contains(h->markdown, "Declared on line 2."));

    // Keys: ENV with its value, the global ARG with its default.
    h = hover(df, P(3, 28));
    REQUIRE(h);
    CHECK(h->range == R(3, 27, 3, 31));
    CHECK(contains(h->markdown, "**ENV** `NAME`"));
    CHECK(contains(h->markdown, "Value: `x`"));
    h = hover(df, P(1, 5));
    REQUIRE(h);
    CHECK(h->range == R(1, 4, 1, 11));
    CHECK(contains(h->markdown, "Default: `1.0`"));
    h = hover(df, P(5, 6));
    REQUIRE(h);
    CHECK(contains(h->markdown, "Brings in the global ARG of line 2; value: `1.0`"));
}

TEST_CASE("hover on variables: base image env, platform args, undeclared globals", "[features]") {
    auto df = parse(
        "ARG G=1\nFROM --platform=$BUILDPLATFORM alpine\nRUN echo $PATH $G $TARGETARCH\n"
        "ENV P=1\nARG P=2\n");
    auto h = hover(df, P(1, 20));
    REQUIRE(h);
    CHECK(h->range == R(1, 16, 1, 30));
    CHECK(contains(h->markdown, "platform argument set by the builder"));
    h = hover(df, P(2, 11));
    REQUIRE(h);
    CHECK(contains(h->markdown, "comes from the base image"));
    h = hover(df, P(2, 16));
    REQUIRE(h);
    CHECK(contains(h->markdown, "A global ARG `G` is declared on line 1; add `ARG G`"));
    h = hover(df, P(2, 20));
    REQUIRE(h);
    CHECK(contains(h->markdown, "add `ARG TARGETARCH`"));
    h = hover(df, P(4, 4));
    REQUIRE(h);
    CHECK(contains(h->markdown, "The ENV of line 4 takes precedence"));
    h = hover(parse("FROM a\nARG TARGETARCH\n"), P(1, 6));
    REQUIRE(h);
    CHECK(contains(h->markdown, "Platform argument set by the builder: Architecture"));
}

TEST_CASE("hover on stage names and parser directives", "[features]") {
    auto df = parse(kDoc);
    auto h = hover(df, P(2, 27));
    REQUIRE(h);
    CHECK(h->range == R(2, 26, 2, 31));
    CHECK(contains(h->markdown, "**Stage** `build` (stage 0, line 3)"));
    CHECK(contains(
        h->markdown,
        "Base image: `alpine:${VERSION}` (`alpine:1.0` with the default build arguments)"));
    h = hover(df, P(8, 14));
    REQUIRE(h);
    CHECK(h->range == R(8, 12, 8, 17));
    CHECK(contains(h->markdown, "**Stage** `build`"));
    h = hover(df, P(9, 30));
    REQUIRE(h);
    CHECK(h->range == R(9, 28, 9, 33));
    CHECK(contains(h->markdown, "**Stage** `build`"));
    h = hover(df, P(7, 7));
    REQUIRE(h);
    CHECK(h->range == R(7, 5, 7, 10));
    h = hover(df, P(7, 15));
    REQUIRE(h);
    CHECK(contains(h->markdown, "**Stage** `final` (stage 1, line 8)"));
    CHECK(contains(h->markdown, "Builds on stage `build` (line 3)."));
    h = hover(df, P(0, 4));
    REQUIRE(h);
    CHECK(h->range == R(0, 0, 0, 28));
    CHECK(contains(h->markdown, "frontend"));

    auto image = parse("FROM a\nCOPY --from=nginx:1 /x /y\n");
    h = hover(image, P(1, 14));
    REQUIRE(h);
    CHECK(contains(h->markdown, "`nginx:1` is not a stage of this Dockerfile"));
    auto escape = parse("# escape=`\nFROM a\n");
    h = hover(escape, P(0, 3));
    REQUIRE(h);
    CHECK(contains(h->markdown, "backtick"));
}

// ---------------------------------------------------------------- completion

TEST_CASE("completion offers keywords with snippets at the start of a line", "[features]") {
    auto items = complete(parse("FROM a\n\n"), P(1, 0));
    CHECK(items.size() == 18);
    const auto* copy = item(items, "COPY");
    REQUIRE(copy);
    CHECK(copy->insert_text == "COPY ${1:src} ${2:dest}");
    CHECK(copy->is_snippet);
    CHECK(copy->kind == CompletionKind::Keyword);
    CHECK(copy->range == R(1, 0, 1, 0));
    CHECK_FALSE(copy->detail.empty());
    CHECK_FALSE(copy->documentation.empty());

    items = complete(parse("FROM a\n  CO"), P(1, 4));
    REQUIRE(item(items, "COPY"));
    CHECK(item(items, "COPY")->range == R(1, 2, 1, 4));

    // Majority lower case: lower-case keywords.
    items = complete(parse("from a\nrun x\n\n"), P(2, 0));
    REQUIRE(item(items, "copy"));
    CHECK(item(items, "copy")->insert_text == "copy ${1:src} ${2:dest}");
    CHECK_FALSE(item(items, "COPY"));
    // A tie stays upper case.
    CHECK(item(complete(parse("from a\nRUN x\n\n"), P(2, 0)), "COPY"));

    // Not in comments, heredoc bodies or after other text.
    CHECK(complete(parse("FROM a\n# co"), P(1, 4)).empty());
    CHECK(complete(parse("FROM a\nRUN <<EOF\nec\nEOF\n"), P(2, 2)).empty());
    CHECK(complete(parse("FROM a\nRUN x\n"), P(1, 5)).empty());
}

TEST_CASE("completion after ONBUILD leaves out what ONBUILD cannot wrap", "[features]") {
    auto items = complete(parse("FROM a\nONBUILD "), P(1, 8));
    auto l = labels(items);
    CHECK(l.size() == 15);
    CHECK(has(l, "RUN"));
    CHECK_FALSE(has(l, "ONBUILD"));
    CHECK_FALSE(has(l, "FROM"));
    CHECK_FALSE(has(l, "MAINTAINER"));
    CHECK(items[0].range == R(1, 8, 1, 8));
    items = complete(parse("FROM a\nONBUILD RU"), P(1, 10));
    REQUIRE(item(items, "RUN"));
    CHECK(item(items, "RUN")->range == R(1, 8, 1, 10));
    CHECK_FALSE(item(items, "FROM"));
}

TEST_CASE("completion of flags: per instruction, without those already given", "[features]") {
    auto items = complete(parse("FROM a\nCOPY --from=x --"), P(1, 16));
    auto l = labels(items);
    CHECK(l == std::vector<std::string>{"--chown", "--chmod", "--link", "--parents", "--exclude"});
    CHECK(item(items, "--chown")->insert_text == "--chown=");
    CHECK(item(items, "--link")->insert_text == "--link");
    CHECK(item(items, "--chown")->range == R(1, 14, 1, 16));
    CHECK(item(items, "--chown")->kind == CompletionKind::Property);
    CHECK_FALSE(item(items, "--chown")->documentation.empty());

    // --mount may repeat, --network may not.
    l = labels(
        complete(parse("FROM a\nRUN --mount=type=cache,target=/x --network=none --"), P(1, 51)));
    CHECK(l == std::vector<std::string>{"--mount", "--security", "--device"});
    l = labels(complete(parse("FROM a\nADD --"), P(1, 6)));
    CHECK(l == std::vector<std::string>{"--chown", "--chmod", "--link", "--keep-git-dir",
                                        "--checksum", "--exclude", "--unpack"});
    CHECK(labels(complete(parse("FROM --"), P(0, 7))) == std::vector<std::string>{"--platform"});
    CHECK(labels(complete(parse("FROM a\nHEALTHCHECK --"), P(1, 14))).size() == 5);
    // The flag being typed is not "already present".
    CHECK(has(labels(complete(parse("FROM a\nRUN --net"), P(1, 9))), "--network"));
    // After the first argument flags are over.
    CHECK(complete(parse("FROM a\nCOPY src --"), P(1, 11)).empty());
    // A continuation line still belongs to the instruction.
    l = labels(complete(parse("FROM a\nRUN --mount=type=cache,target=/x \\\n    --"), P(2, 6)));
    CHECK(has(l, "--network"));
    l = labels(complete(parse("FROM a\nRUN --mount=type=cache,target=/x \\\n\n    --"), P(3, 6)));
    CHECK(has(l, "--network"));
}

TEST_CASE("completion of flag values: mount keys and types, network, security", "[features]") {
    auto items = complete(parse("FROM a\nRUN --mount=type=cache,"), P(1, 23));
    auto l = labels(items);
    for (const char* key :
         {"target", "source", "from", "ro", "id", "sharing", "mode", "uid", "gid"})
        CHECK(has(l, key));
    for (const char* key : {"type", "rw", "required", "env", "size"}) CHECK_FALSE(has(l, key));
    CHECK(item(items, "target")->insert_text == "target=");
    CHECK(item(items, "ro")->insert_text == "ro");
    CHECK(item(items, "target")->range == R(1, 23, 1, 23));

    l = labels(complete(parse("FROM a\nRUN --mount=type=secret,i"), P(1, 25)));
    CHECK(has(l, "id"));
    CHECK(has(l, "required"));
    CHECK(has(l, "env"));
    CHECK_FALSE(has(l, "sharing"));
    CHECK_FALSE(has(l, "size"));
    // Keys already present (in any spelling) are not offered again; the default type is bind.
    l = labels(complete(parse("FROM a\nRUN --mount=dst=/x,"), P(1, 19)));
    CHECK_FALSE(has(l, "target"));
    CHECK(has(l, "rw"));
    CHECK_FALSE(has(l, "id"));

    items = complete(parse("FROM a\nRUN --mount=type="), P(1, 17));
    CHECK(labels(items) == std::vector<std::string>{"bind", "cache", "tmpfs", "secret", "ssh"});
    CHECK(items[0].range == R(1, 17, 1, 17));
    CHECK(items[0].kind == CompletionKind::Value);
    items = complete(parse("FROM a\nRUN --mount=type=cache,sharing=lo"), P(1, 33));
    CHECK(labels(items) == std::vector<std::string>{"shared", "private", "locked"});
    CHECK(items[0].range == R(1, 31, 1, 33));

    CHECK(labels(complete(parse("FROM a\nRUN --network="), P(1, 14))) ==
          std::vector<std::string>{"default", "none", "host"});
    CHECK(labels(complete(parse("FROM a\nRUN --security=in"), P(1, 17))) ==
          std::vector<std::string>{"sandbox", "insecure"});
    CHECK(has(labels(complete(parse("FROM --platform="), P(0, 16))), "linux/arm64"));
    CHECK(labels(complete(parse("FROM a\nHEALTHCHECK "), P(1, 12))) ==
          std::vector<std::string>{"CMD", "NONE"});
}

TEST_CASE("completion of stage names: only stages defined before the current one", "[features]") {
    const char* text =
        "FROM a AS one\n"
        "FROM b AS two\n"
        "COPY --from=\n"
        "RUN --mount=type=bind,from=t\n"
        "FROM \n"
        "FROM c AS three\n";
    auto df = parse(text);
    auto items = complete(df, P(2, 12));
    CHECK(labels(items) == std::vector<std::string>{"one"});
    CHECK(items[0].range == R(2, 12, 2, 12));
    CHECK(items[0].kind == CompletionKind::Reference);
    CHECK(items[0].detail == "stage 0: a");
    items = complete(df, P(3, 28));
    CHECK(labels(items) == std::vector<std::string>{"one"});
    CHECK(items[0].range == R(3, 27, 3, 28));
    items = complete(df, P(4, 5));
    CHECK(labels(items) == std::vector<std::string>{"one", "two"});
    CHECK(items[0].range == R(4, 5, 4, 5));
    CHECK(complete(df, P(0, 5)).empty());  // the first stage has nothing before it
}

TEST_CASE("completion of variables in scope", "[features]") {
    auto df = parse("ARG G=1\nFROM alpine\nARG G\nENV E=2\nRUN echo ${\nRUN echo $E \\$\n");
    auto items = complete(df, P(4, 11));
    auto l = labels(items);
    CHECK(l.size() == 3);
    CHECK(has(l, "G"));
    CHECK(has(l, "E"));
    CHECK(has(l, "PATH"));
    const auto* g = item(items, "G");
    REQUIRE(g);
    CHECK(g->insert_text == "G}");
    CHECK(g->range == R(4, 11, 4, 11));
    CHECK(g->detail == "ARG, line 3");
    CHECK(g->documentation == "Value here: `1`");
    CHECK(item(items, "E")->detail == "ENV, line 4");
    CHECK(item(items, "PATH")->detail == "from the base image");
    CHECK(item(items, "E")->kind == CompletionKind::Variable);
    // `$E` being typed: the name so far is replaced, no brace added.
    items = complete(df, P(5, 11));
    REQUIRE(item(items, "E"));
    CHECK(item(items, "E")->range == R(5, 10, 5, 11));
    CHECK(item(items, "E")->insert_text == "E");
    CHECK(complete(df, P(5, 14)).empty());  // an escaped dollar

    // FROM lines: the global ARGs and the platform arguments.
    auto from = parse("ARG G=1\nFROM $\nARG LATER=2\n");
    items = complete(from, P(1, 6));
    l = labels(items);
    CHECK(has(l, "G"));
    CHECK(has(l, "TARGETARCH"));
    CHECK(has(l, "BUILDPLATFORM"));
    CHECK_FALSE(has(l, "LATER"));
    CHECK_FALSE(has(l, "PATH"));
    CHECK(item(items, "G")->detail == "global ARG, line 1");
    CHECK(item(items, "G")->range == R(1, 6, 1, 6));
}

TEST_CASE("completion of parser directives on the leading comment lines", "[features]") {
    auto items = complete(parse("# sy"), P(0, 4));
    CHECK(labels(items) == std::vector<std::string>{"syntax", "escape", "check"});
    CHECK(items[0].range == R(0, 2, 0, 4));
    CHECK(items[0].insert_text == "syntax=");
    CHECK(labels(complete(parse("# syntax=docker/dockerfile:1\n# "), P(1, 2))) ==
          std::vector<std::string>{"escape", "check"});
    items = complete(parse("# escape="), P(0, 9));
    CHECK(labels(items) == std::vector<std::string>{"\\", "`"});
    CHECK(items[0].range == R(0, 9, 0, 9));
    // After an instruction a comment is only a comment.
    CHECK(complete(parse("FROM a\n# sy"), P(1, 4)).empty());
}

// ---------------------------------------------------------------- symbols

TEST_CASE("document symbols: directives, global instructions, stages with instructions",
          "[features]") {
    auto df = parse(
        "# syntax=docker/dockerfile:1\n"
        "ARG V=1\n"
        "FROM golang:1.22 AS build\n"
        "RUN go build \\\n"
        "    -o /app\n"
        "FROM scratch\n"
        "COPY --from=build /app /app\n");
    auto symbols = document_symbols(df);
    REQUIRE(symbols.size() == 4);
    CHECK(symbols[0].name == "syntax");
    CHECK(symbols[0].detail == "docker/dockerfile:1");
    CHECK(symbols[0].kind == SymbolKind::Directive);
    CHECK(symbols[0].range == R(0, 0, 0, 28));
    CHECK(symbols[1].name == "ARG V=1");
    CHECK(symbols[1].kind == SymbolKind::Variable);
    CHECK(symbols[1].range == R(1, 0, 1, 7));
    CHECK(symbols[1].selection_range == R(1, 0, 1, 3));
    CHECK(symbols[2].name == "build");
    CHECK(symbols[2].detail == "golang:1.22");
    CHECK(symbols[2].kind == SymbolKind::Stage);
    CHECK(symbols[2].range == R(2, 0, 4, 11));
    CHECK(symbols[2].selection_range == R(2, 20, 2, 25));
    REQUIRE(symbols[2].children.size() == 1);
    CHECK(symbols[2].children[0].name == "RUN go build -o /app");
    CHECK(symbols[2].children[0].range == R(3, 0, 4, 11));
    CHECK(symbols[2].children[0].selection_range == R(3, 0, 3, 3));
    CHECK(symbols[3].name == "stage 1: scratch");
    CHECK(symbols[3].range == R(5, 0, 6, 27));
    CHECK(symbols[3].selection_range == R(5, 5, 5, 12));
    REQUIRE(symbols[3].children.size() == 1);
    CHECK(symbols[3].children[0].name == "COPY --from=build /app /app");

    auto long_run =
        document_symbols(parse("FROM a\nRUN apt-get update && apt-get install -y "
                               "--no-install-recommends curl ca-certificates\n"));
    REQUIRE(long_run[0].children.size() == 1);
    CHECK(long_run[0].children[0].name == "RUN apt-get update && apt-get install -y --n…");
    // A stage name with non-ASCII letters: UTF-16 selection range.
    auto utf = document_symbols(parse("FROM ä AS ünïcode\n"));
    CHECK(utf[0].selection_range == R(0, 10, 0, 17));
}

// ---------------------------------------------------------------- definition and references

TEST_CASE("definition of stages and variables", "[features]") {
    auto df = parse(kDoc);
    CHECK(definition(df, P(6, 12)) == R(5, 4, 5, 11));  // $VERSION -> the stage ARG
    CHECK(definition(df, P(5, 5)) == R(1, 4, 1, 11));   // that ARG -> the global it imports
    CHECK(definition(df, P(2, 15)) == R(1, 4, 1, 11));  // FROM line -> global
    CHECK(definition(df, P(4, 16)) == R(3, 4, 3, 12));  // after an emoji
    CHECK(definition(df, P(9, 52)) == R(3, 4, 3, 12));  // inherited through FROM build
    CHECK(definition(df, P(3, 5)) == R(3, 4, 3, 12));   // a declaration is its own definition
    CHECK(definition(df, P(8, 13)) == R(2, 26, 2, 31));
    CHECK(definition(df, P(9, 30)) == R(2, 26, 2, 31));  // mount from=, case-insensitive
    CHECK(definition(df, P(7, 6)) == R(2, 26, 2, 31));
    CHECK(definition(df, P(2, 27)) == R(2, 26, 2, 31));
    CHECK_FALSE(definition(df, P(6, 20)));  // $MISSING
    CHECK_FALSE(definition(df, P(8, 2)));

    // Latest declaration before the use; an ARG does not override an ENV.
    auto shadow = parse("FROM a\nARG X=1\nRUN $X\nENV X=2\nARG X=3\nRUN $X\n");
    CHECK(definition(shadow, P(2, 5)) == R(1, 4, 1, 5));
    CHECK(definition(shadow, P(5, 5)) == R(3, 4, 3, 5));
    // Numeric --from names a stage by index.
    auto numeric = parse("FROM a\nFROM b\nCOPY --from=0 /x /y\n");
    CHECK(definition(numeric, P(2, 12)) == R(0, 5, 0, 6));
}

TEST_CASE("references of stages and variables", "[features]") {
    auto df = parse(kDoc);
    std::vector<Range> build = {R(2, 26, 2, 31), R(7, 5, 7, 10), R(8, 12, 8, 17), R(9, 28, 9, 33)};
    CHECK(references(df, P(8, 13), true) == build);
    CHECK(references(df, P(2, 27), false) == std::vector<Range>(build.begin() + 1, build.end()));
    CHECK(references(df, P(4, 16), true) ==
          std::vector<Range>{R(3, 4, 3, 12), R(4, 14, 4, 22), R(9, 51, 9, 59)});
    CHECK(references(df, P(4, 16), false) == std::vector<Range>{R(4, 14, 4, 22), R(9, 51, 9, 59)});
    // The global ARG: the FROM line and the stage ARG that imports it.
    CHECK(references(df, P(1, 5), true) ==
          std::vector<Range>{R(1, 4, 1, 11), R(2, 14, 2, 21), R(5, 4, 5, 11)});
    // The stage ARG: the uses after it.
    CHECK(references(df, P(6, 12), true) == std::vector<Range>{R(5, 4, 5, 11), R(6, 10, 6, 17)});
    CHECK(references(df, P(6, 20), true).empty());

    // Scope: a redeclaration in a later stage is another variable.
    auto scoped = parse("FROM a AS one\nENV X=1\nRUN $X\nFROM a\nENV X=2\nRUN ${X}\n");
    CHECK(references(scoped, P(1, 4), true) == std::vector<Range>{R(1, 4, 1, 5), R(2, 5, 2, 6)});
    CHECK(references(scoped, P(5, 7), false) == std::vector<Range>{R(5, 6, 5, 7)});
    // Exec-form RUN does not expand; heredoc bodies do unless the delimiter is quoted.
    auto forms = parse(
        "FROM a\nENV X=1\nRUN [\"echo\", \"$X\"]\nRUN <<EOF\necho $X\nEOF\nRUN <<'EOF'\necho "
        "$X\nEOF\n");
    CHECK(references(forms, P(1, 4), false) == std::vector<Range>{R(4, 6, 4, 7)});
}

// ---------------------------------------------------------------- formatting

TEST_CASE("formatting: keyword casing follows the majority", "[features]") {
    CHECK(fmt("FROM a\nrun x\nRUN y\n") == "1:0-1:3[RUN]");
    CHECK(fmt("from a\nrun x\nRUN y\n") == "2:0-2:3[run]");
    CHECK(fmt("from a\nRUN x\n") == "0:0-0:4[FROM]");
    CHECK(fmt("FROM a\nOnBuild run x\n") == "1:0-1:7[ONBUILD] 1:8-1:11[RUN]");
    CHECK(fmt("FROM a\nRUN x\n").empty());
    // Touching edits are merged: the indent and the keyword of a continued ONBUILD.
    CHECK(fmt("FROM a\nONBUILD \\\nrun x\n") == "2:0-2:3[    RUN]");
    CHECK(fmt("FROM a\n  run x\n") == "1:0-1:5[RUN]");
}

TEST_CASE("formatting: indentation and whitespace", "[features]") {
    CHECK(fmt("FROM a\nRUN a \\\n  b \\\n\t\tc\n") == "2:0-2:2[    ] 3:0-3:2[    ]");
    CHECK(fmt("FROM a\nRUN a \\\n  b\n", {4, false}) == "2:0-2:2[\t]");
    CHECK(fmt("FROM a\nRUN a \\\nb\n", {2, true}) == "2:0-2:0[  ]");
    CHECK(fmt("  FROM a\n") == "0:0-0:2[]");
    // Trailing blanks: at line ends, and after the escape character but not before it.
    CHECK(fmt("FROM a   \nRUN x \\  \n    y\n") == "0:6-0:9[] 1:7-1:9[]");
    // UTF-16 columns after non-ASCII text.
    CHECK(fmt("FROM a\nRUN echo \"é😀\"   \n") == "1:14-1:17[]");
    // Blank and comment lines inside a continuation.
    CHECK(fmt("FROM a\nRUN a \\\n   \n# c  \n    b\n") == "2:0-2:3[] 3:0-3:0[    ] 3:3-3:5[]");
    // The escape directive.
    CHECK(fmt("# escape=`\nFROM a\nRUN a `\n  b\n") == "3:0-3:2[    ]");
}

TEST_CASE("formatting leaves meaningful whitespace alone", "[features]") {
    // Heredoc bodies.
    CHECK(fmt("FROM a\nRUN <<EOF\n   indented   \n  EOF\nEOF\n").empty());
    // Inside quotes, across a continuation.
    CHECK(fmt("FROM a\nRUN echo \"a \\\n   b\"\n").empty());
    CHECK(fmt("FROM a\nRUN echo 'a \\\n   b'\n").empty());
    CHECK(fmt("FROM a\nCMD [\"a \\\n   b\"]\n").empty());
    // A continuation inside a word: indenting would split it.
    CHECK(fmt("FROM a\nRUN echo foo\\\nbar\n").empty());
    // Text kept verbatim by the builder.
    CHECK(fmt("FROM a\nENV A hello \\\n   world\n").empty());
    CHECK(fmt("FROM a\nWORKDIR /a \\\n  b\n").empty());
    CHECK(fmt("FROM a\nLABEL a=1 \\\n  b=2\n") == "2:0-2:2[    ]");
    CHECK(fmt("FROM a\nWORKDIR \\\n  /a\n") == "2:0-2:2[    ]");
    // An escape character right before the break escapes the line break's replacement.
    CHECK(fmt("FROM a\nRUN echo a\\\\\n\tb\n").empty());
    CHECK(fmt("FROM a\nRUN echo a\\\\\\\n\tb\n") == "2:0-2:1[    ]");
    // Unknown instructions.
    CHECK(fmt("FROM a\nFOO a \\\n b\n").empty());
}

namespace {

// What the builder sees of an instruction: keyword, flags, words (quotes kept), pairs, JSON,
// heredoc bodies, and the whole argument text where the builder keeps it verbatim.
std::string meaning(const dockerfile::Instruction& ins) {
    std::ostringstream out;
    out << static_cast<int>(ins.kind) << '|';
    for (const auto& f : ins.flags)
        out << "--" << f.name << '=' << f.value.value_or("<none>") << '|';
    for (const auto& w : ins.words) out << w.text << '\x1f';
    out << '|';
    for (const auto& kv : ins.pairs) out << kv.key << '=' << kv.value.value_or("<none>") << '\x1f';
    if (ins.json)
        for (const auto& j : *ins.json) out << j.text << '\x1e';
    for (const auto& h : ins.heredocs) out << "<<" << h.delimiter << '\n' << h.body;
    using K = dockerfile::InstructionKind;
    if (ins.kind == K::User || ins.kind == K::Workdir || ins.kind == K::Maintainer ||
        ins.kind == K::Stopsignal || ins.legacy_key_value)
        out << "|" << ins.arguments;
    if (ins.trigger) out << "|trigger:" << meaning(*ins.trigger);
    return out.str();
}

std::vector<std::string> meanings(const dockerfile::Dockerfile& df) {
    std::vector<std::string> out;
    for (const auto& ins : df.instructions) out.push_back(meaning(ins));
    for (const auto& d : df.directives) out.push_back(d.name + "=" + d.value);
    return out;
}

const char* kMessy[] = {
    "  from alpine as base\nRUN apk add \\\n\t\tcurl \\\n  # comment   \n\n        git   \n",
    "FROM a\nRUN echo \"multi \\\n   line\" && \\\n      echo 'single \\\n  quoted' \\\n  && true  "
    " \n",
    "FROM a\nENV A=1 \\\n  B=\"two words\" \\\n C=3\nENV LEGACY value with \\\n     spaces\n",
    "FROM a\nCMD [\"sh\", \\\n     \"-c\", \\\n  \"echo hi\"]\n",
    "# escape=`\nFROM mcr.microsoft.com/windows\nRUN Write-Host 'a' ; `\n Write-Host "
    "\"b\"\nWORKDIR C:\\x\n",
    "FROM a\nRUN <<EOF bash \\\n  -x\n  set -e   \n\techo $X\nEOF\nCOPY <<-E /x\n\tline\n\tE\n",
    "FROM a\nonbuild run apt-get \\\n   install  \\\n x\nonbuild copy . /app\n",
    "FROM a\nRUN foo\\\nbar \\\n\tbaz\\\n  qux\n",
    "ARG A=1\n\nFROM b AS c\nHEALTHCHECK --interval=5s \\\n      CMD curl -f http://x/ || exit 1\n",
    "FROM a\nRUN echo \"ü \\\n   😀\" \\\n   é\n",
    "FROM a\nLABEL a=\"x \\\n  y\" \\\n    b=2   \n\t \nUSER  root \\\n  :wheel\n",
    "FROM a\nRUN a \\\n\n\n  b\n\n",
    "FROM a\nRUN a \\\n",
    "FROM a\r\nRUN a \\\r\n  b   \r\n",
};

void check_format_round_trip(const std::string& text, const FormattingOptions& options) {
    INFO("input:\n" << text);
    auto df = parse(text);
    auto edits = format(df, options);
    for (size_t i = 1; i < edits.size(); ++i)
        CHECK_FALSE(edits[i].range.start < edits[i - 1].range.end);
    std::string once = apply(text, edits);
    INFO("formatted:\n" << once);
    auto formatted = parse(once);
    CHECK(meanings(formatted) == meanings(df));
    CHECK(formatted.diagnostics.size() == df.diagnostics.size());
    CHECK(format(formatted, options).empty());
}

}  // namespace

TEST_CASE("formatting keeps the meaning and is idempotent on a varied corpus", "[features]") {
    namespace fs = std::filesystem;
    std::vector<std::string> texts(std::begin(kMessy), std::end(kMessy));
    fs::path dir = fs::path(ENVBUILDER_SOURCE_DIR) / "tests/corpus/dockerfiles";
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".Dockerfile") continue;
        ++files;
        texts.push_back(read_file(entry.path()));
    }
    CHECK(files >= 6);
    for (const auto& text : texts) {
        check_format_round_trip(text, {});
        check_format_round_trip(text, {2, false});
    }
    // The messy inputs do change.
    CHECK_FALSE(format(parse(kMessy[0])).empty());
}

// ---------------------------------------------------------------- size

// Its speed is bench/features_bench's to measure.
TEST_CASE("every feature answers on a 5,000-line Dockerfile", "[features]") {
    auto df = parse(envbuilder::testing::big_dockerfile_document());
    REQUIRE(df.source.line_count() > 4900);
    const Position middle{2500, 12};
    auto h = hover(df, middle);
    auto items = complete(df, {2500, 0});
    auto symbols = document_symbols(df);
    auto refs = references(df, {df.source.line_count() - 2, 13}, true);
    auto def = definition(df, middle);
    auto edits = format(df);
    CHECK(symbols.size() == 54);
    CHECK(edits.size() == 52 * 24 * 2);  // trailing blanks and indentation
    CHECK(refs.size() >= 2);
    CHECK(def);
    CHECK(h);
    CHECK_FALSE(items.empty());
}

TEST_CASE("every feature answers at every position of the corpus", "[features]") {
    namespace fs = std::filesystem;
    std::vector<std::string> texts(std::begin(kMessy), std::end(kMessy));
    texts.push_back(kDoc);
    texts.push_back("");
    texts.push_back("FROM");
    texts.push_back("# syntax=\nONBUILD\nRUN --mount=\nCOPY --from=${\nRUN <<EOF\n");
    fs::path dir = fs::path(ENVBUILDER_SOURCE_DIR) / "tests/corpus/dockerfiles";
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".Dockerfile") texts.push_back(read_file(entry.path()));
    size_t answers = 0;
    for (const auto& text : texts) {
        auto df = parse(text);
        for (uint32_t line = 0; line <= df.source.line_count(); ++line) {
            uint32_t length = utf16_length(df.source.line(line));
            for (uint32_t col = 0; col <= length + 1; ++col) {
                Position p{line, col};
                answers += hover(df, p).has_value();
                answers += complete(df, p).size();
                answers += definition(df, p).has_value();
                answers += references(df, p, true).size();
            }
        }
    }
    CHECK(answers > 1000);
}
