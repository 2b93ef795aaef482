// devcontainer.json editor features (engine/language/devcontainer_features.h): hover, completion
// and document symbols, with exact ranges (0-based line, UTF-16 column), on valid and half-typed
// JSON.
#include <catch2/catch.hpp>

#include "completion_test_support.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "language/devcontainer_features.h"

using namespace envbuilder;
using namespace envbuilder::language;

namespace {

Range R(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
    return {{l1, c1}, {l2, c2}};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

using envbuilder::testing::has;
using envbuilder::testing::item;
using envbuilder::testing::labels;

// Completion at the position of `|` in `marked` (which is removed).
std::vector<CompletionItem> complete_at(const std::string& marked) {
    size_t bar = marked.find('|');
    REQUIRE(bar != std::string::npos);
    std::string text = marked;
    text.erase(bar, 1);
    SourceText src(text);
    return devcontainer_complete(src, src.position_at(bar));
}

// The document after applying `item` (snippet syntax left as is).
std::string applied(const std::string& marked, const CompletionItem& item) {
    std::string text = marked;
    text.erase(marked.find('|'), 1);
    SourceText src(text);
    size_t b = src.offset_at(item.range.start), e = src.offset_at(item.range.end);
    return text.replace(b, e - b, item.insert_text);
}

const char* const kConfig = R"({
  // A comment with "quotes" and { braces }
  "name": "日本🚀", "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "build": { "dockerfile": "Dockerfile", "args": { "V": "${localEnv:HOME}" } },
  "features": {
    "ghcr.io/devcontainers/features/node:1": { "version": "20" },
    "./local-feature": {},
    "https://example.com/f.tgz": true,
    "Bad Id": {}
  },
  "portsAttributes": { "3000": { "onAutoForward": "notify", "label": "web" } },
  "hostRequirements": { "gpu": { "cores": 2 } },
  "mounts": [ { "type": "bind", "source": "/a", "target": "/b" } ],
  "appPort": 3000,
  "shutdownAction": "none",
  "postCreateCommand": { "deps": "npm ci", "db": ["make", "db"] },
  "workspaceFolder": "/w/${containerWorkspaceFolderBasename}/x"
}
)";

}  // namespace

// ---- Hover ----

TEST_CASE("hover on a top-level property after non-ASCII text counts UTF-16 columns",
          "[devcontainer-features]") {
    SourceText src(kConfig);
    // `  "name": "日本🚀", ` is 24 bytes but 18 UTF-16 units before "image".
    auto h = devcontainer_hover(src, {2, 20});
    REQUIRE(h);
    CHECK(h->range == R(2, 18, 2, 25));
    CHECK(contains(h->markdown, "**`image`** — `string`"));
    CHECK(contains(h->markdown, "Image to create the container from"));
    CHECK_FALSE(contains(h->markdown, "Deprecated"));
    // The key's closing quote still counts as the key.
    CHECK(devcontainer_hover(src, {2, 25}));
}

TEST_CASE("hover on nested properties shows their path", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto dockerfile = devcontainer_hover(src, {3, 14});
    REQUIRE(dockerfile);
    CHECK(dockerfile->range == R(3, 13, 3, 25));
    CHECK(contains(dockerfile->markdown, "**`build.dockerfile`** — `string`"));

    auto on_auto_forward = devcontainer_hover(src, {10, 34});
    REQUIRE(on_auto_forward);
    CHECK(on_auto_forward->range == R(10, 33, 10, 48));
    CHECK(contains(on_auto_forward->markdown, "`portsAttributes.3000.onAutoForward`"));
    CHECK(contains(on_auto_forward->markdown,
                   "Allowed values: `notify`, `openBrowser`, `openBrowserOnce`, `openPreview`, "
                   "`silent`, `ignore`"));

    auto cores = devcontainer_hover(src, {11, 35});
    REQUIRE(cores);
    CHECK(contains(cores->markdown, "`hostRequirements.gpu.cores`"));
    CHECK(contains(cores->markdown, "`integer ≥ 1`"));

    auto mount_type = devcontainer_hover(src, {12, 17});
    REQUIRE(mount_type);
    CHECK(mount_type->range == R(12, 16, 12, 22));
    CHECK(contains(mount_type->markdown, "`mounts[].type`"));
    CHECK(contains(mount_type->markdown, "`bind`, `volume`"));
}

TEST_CASE("hover on deprecated and enum properties", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto app_port = devcontainer_hover(src, {13, 4});
    REQUIRE(app_port);
    CHECK(app_port->range == R(13, 2, 13, 11));
    CHECK(contains(app_port->markdown, "**Deprecated:** use `forwardPorts` instead."));

    auto shutdown = devcontainer_hover(src, {14, 3});
    REQUIRE(shutdown);
    CHECK(contains(shutdown->markdown, "Allowed values: `none`, `stopContainer`, `stopCompose`"));
}

TEST_CASE("hover on feature ids tells their kind", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto oci = devcontainer_hover(src, {5, 10});
    REQUIRE(oci);
    CHECK(oci->range == R(5, 4, 5, 43));
    CHECK(contains(oci->markdown, "OCI reference"));
    CHECK(contains(oci->markdown,
                   "registry `ghcr.io`, namespace `devcontainers/features`, name "
                   "`node`, version `1`"));
    CHECK(contains(oci->markdown, "Features are reusable install units"));

    auto local = devcontainer_hover(src, {6, 6});
    REQUIRE(local);
    CHECK(contains(local->markdown, "Local feature"));
    auto tarball = devcontainer_hover(src, {7, 6});
    REQUIRE(tarball);
    CHECK(contains(tarball->markdown, "Tarball URL"));
    auto bad = devcontainer_hover(src, {8, 6});
    REQUIRE(bad);
    CHECK(contains(bad->markdown, "Not a valid feature id"));

    // A feature's options are the feature's business, not the table's.
    CHECK_FALSE(devcontainer_hover(src, {5, 50}));
}

TEST_CASE("hover on ${...} variables in strings", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto home = devcontainer_hover(src, {3, 60});
    REQUIRE(home);
    CHECK(home->range == R(3, 57, 3, 73));
    CHECK(contains(home->markdown, "**`${localEnv:HOME}`**"));
    CHECK(contains(home->markdown, "Reads `HOME`. An environment variable of the host"));
    CHECK(contains(home->markdown, "environment variable of the host"));

    auto base = devcontainer_hover(src, {16, 30});
    REQUIRE(base);
    CHECK(base->range == R(16, 25, 16, 60));
    CHECK(contains(base->markdown, "Last path component of containerWorkspaceFolder"));

    SourceText other(
        R"({ "remoteEnv": { "A": "${devcontainerId}-${bogus}-${containerEnv:P:x}" } })");
    auto id = devcontainer_hover(other, {0, 25});
    REQUIRE(id);
    CHECK(id->range == R(0, 23, 0, 40));
    CHECK(contains(id->markdown, "survives rebuilds"));
    auto bogus = devcontainer_hover(other, {0, 44});
    REQUIRE(bogus);
    CHECK(contains(bogus->markdown, "Not a variable"));
    auto env = devcontainer_hover(other, {0, 55});
    REQUIRE(env);
    CHECK(contains(env->markdown, "Reads `P`, with default `x`."));
    // Between the references (a position names the character after it), and outside strings, there
    // is nothing to say.
    CHECK_FALSE(devcontainer_hover(other, {0, 40}));
    CHECK_FALSE(devcontainer_hover(SourceText(R"({ "x": 1 })"), {0, 4}));
}

TEST_CASE("hover says nothing about unknown keys, values or broken text",
          "[devcontainer-features]") {
    SourceText src(kConfig);
    CHECK_FALSE(devcontainer_hover(src, {2, 12}));   // the value of "name"
    CHECK_FALSE(devcontainer_hover(src, {1, 10}));   // a comment
    CHECK_FALSE(devcontainer_hover(src, {15, 26}));  // a named lifecycle command
    CHECK_FALSE(devcontainer_hover(SourceText(R"({ "nope": 1 })"), {0, 4}));
    CHECK_FALSE(devcontainer_hover(SourceText(""), {0, 0}));
    // The parser's recovery keeps what it can: the hover still works before the damage.
    auto h = devcontainer_hover(SourceText("{ \"init\": true, \"image\": \n"), {0, 4});
    REQUIRE(h);
    CHECK(contains(h->markdown, "`init`"));
}

// ---- Completion ----

TEST_CASE("completion offers missing top-level properties with value snippets",
          "[devcontainer-features]") {
    const std::string doc = "{\n  \"image\": \"x\",\n  |\n}";
    auto items = complete_at(doc);
    auto names = labels(items);
    CHECK(has(names, "name"));
    CHECK(has(names, "build"));
    CHECK_FALSE(has(names, "image"));    // already there
    CHECK_FALSE(has(names, "appPort"));  // deprecated
    CHECK_FALSE(has(names, "dockerFile"));
    REQUIRE(item(items, "name"));
    CHECK(item(items, "name")->range == R(2, 2, 2, 2));
    CHECK(item(items, "name")->insert_text == "\"name\": \"$1\"");
    CHECK(item(items, "name")->is_snippet);
    CHECK(item(items, "name")->kind == CompletionKind::Property);
    CHECK(item(items, "name")->detail == "string");
    CHECK(item(items, "build")->insert_text == "\"build\": {$1}");
    CHECK(item(items, "runArgs")->insert_text == "\"runArgs\": [$1]");
    CHECK(item(items, "init")->insert_text == "\"init\": ${1|true,false|}");
    CHECK(item(items, "shutdownAction")->insert_text ==
          "\"shutdownAction\": \"${1|none,stopContainer,stopCompose|}\"");
    CHECK(item(items, "$schema")->insert_text == "\"\\$schema\": \"$1\"");
}

TEST_CASE("completion inside an unterminated key string", "[devcontainer-features]") {
    const std::string doc = "{ \"im|";
    auto items = complete_at(doc);
    auto image = item(items, "image");
    REQUIRE(image);
    // The range is what was typed inside the quotes; the closing quote is supplied.
    CHECK(image->range == R(0, 3, 0, 5));
    CHECK(applied(doc, *image) == "{ \"image\": \"$1\"");

    // Nested, with a sibling already present and the rest of the document still below.
    const std::string nested =
        "{\n  \"build\": { \"context\": \"..\", \"do|\n  \"image\": \"x\"\n}";
    auto build_items = complete_at(nested);
    auto names = labels(build_items);
    CHECK(has(names, "dockerfile"));
    CHECK(has(names, "target"));
    CHECK_FALSE(has(names, "context"));
    CHECK_FALSE(has(names, "name"));  // not a build property
    REQUIRE(item(build_items, "dockerfile"));
    CHECK(item(build_items, "dockerfile")->range == R(1, 31, 1, 33));
}

TEST_CASE("completion in a complete key string replaces its text only", "[devcontainer-features]") {
    const std::string doc = "{ \"im|ag\": \"x\" }";
    auto image_items = complete_at(doc);
    auto image = item(image_items, "image");
    REQUIRE(image);
    CHECK(image->range == R(0, 3, 0, 7));
    CHECK(image->insert_text == "image");  // the colon and value are there already
    CHECK_FALSE(image->is_snippet);
    CHECK(applied(doc, *image) == "{ \"image\": \"x\" }");

    const std::string no_colon = "{ \"na|\" }";
    auto name_items = complete_at(no_colon);
    auto name = item(name_items, "name");
    REQUIRE(name);
    CHECK(applied(no_colon, *name) == "{ \"name\": \"$1\" }");
}

TEST_CASE("completion without an opening quote and after trailing or missing commas",
          "[devcontainer-features]") {
    const std::string bare = "{ \"name\": \"x\", wa| }";
    auto wait_items = complete_at(bare);
    auto wait = item(wait_items, "waitFor");
    REQUIRE(wait);
    CHECK(wait->range == R(0, 15, 0, 17));
    CHECK(applied(bare, *wait) ==
          "{ \"name\": \"x\", \"waitFor\": \"${1|initializeCommand,onCreateCommand,"
          "updateContentCommand,postCreateCommand,postStartCommand|}\" }");

    auto trailing = labels(complete_at("{ \"name\": \"x\", |"));
    CHECK(has(trailing, "image"));
    CHECK_FALSE(has(trailing, "name"));

    auto missing_comma = complete_at("{\n  \"name\": \"x\"\n  \"ru|\n}");
    CHECK(has(labels(missing_comma), "runArgs"));
    CHECK_FALSE(has(labels(missing_comma), "name"));
}

TEST_CASE("completion of keys in nested property objects", "[devcontainer-features]") {
    auto host = labels(complete_at("{ \"hostRequirements\": { \"cpus\": 2, | } }"));
    CHECK(host == std::vector<std::string>{"memory", "storage", "gpu"});

    auto gpu = labels(complete_at("{ \"hostRequirements\": { \"gpu\": { \"| } } }"));
    CHECK(gpu == std::vector<std::string>{"cores", "memory"});

    auto port =
        labels(complete_at("{ \"portsAttributes\": { \"3000\": { \"label\": \"a\", | } } }"));
    CHECK(has(port, "onAutoForward"));
    CHECK(has(port, "protocol"));
    CHECK_FALSE(has(port, "label"));

    // Keys of portsAttributes itself are port patterns, not properties.
    CHECK(complete_at("{ \"portsAttributes\": { | } }").empty());
    CHECK(has(labels(complete_at("{ \"otherPortsAttributes\": { | } }")), "requireLocalPort"));
    CHECK(has(labels(complete_at("{ \"mounts\": [ { \"source\": \"a\", | } ] }")), "type"));
    // Free-form objects get nothing.
    CHECK(complete_at("{ \"containerEnv\": { | } }").empty());
    CHECK(complete_at("{ \"customizations\": { \"vscode\": { | } } }").empty());
}

TEST_CASE("completion of enum values with and without the opening quote",
          "[devcontainer-features]") {
    const std::string open = "{ \"shutdownAction\": \"st|";
    auto items = complete_at(open);
    CHECK(labels(items) == std::vector<std::string>{"none", "stopContainer", "stopCompose"});
    REQUIRE(item(items, "stopCompose"));
    CHECK(item(items, "stopCompose")->range == R(0, 21, 0, 23));
    CHECK(item(items, "stopCompose")->kind == CompletionKind::Value);
    CHECK(applied(open, *item(items, "stopCompose")) == "{ \"shutdownAction\": \"stopCompose\"");

    const std::string closed = "{ \"shutdownAction\": \"st|op\" }";
    auto stop_items = complete_at(closed);
    auto stop = item(stop_items, "stopContainer");
    REQUIRE(stop);
    CHECK(stop->range == R(0, 21, 0, 25));
    CHECK(applied(closed, *stop) == "{ \"shutdownAction\": \"stopContainer\" }");

    const std::string unquoted = "{ \"userEnvProbe\": |";
    auto probe_items = complete_at(unquoted);
    auto probe = item(probe_items, "loginShell");
    REQUIRE(probe);
    CHECK(probe->range == R(0, 18, 0, 18));
    CHECK(applied(unquoted, *probe) == "{ \"userEnvProbe\": \"loginShell\"");

    auto protocol =
        labels(complete_at("{ \"portsAttributes\": { \"8080\": { \"protocol\": \"|\" } } }"));
    CHECK(protocol == std::vector<std::string>{"http", "https"});
    auto other = labels(complete_at("{ \"otherPortsAttributes\": { \"onAutoForward\": \"|\" } }"));
    CHECK(has(other, "openPreview"));
    CHECK_FALSE(has(other, "openBrowserOnce"));  // only for specific ports
    auto mount = labels(complete_at("{ \"mounts\": [ { \"type\": \"| } ] }"));
    CHECK(mount == std::vector<std::string>{"bind", "volume"});
    auto wait = labels(complete_at("{ \"waitFor\": \"|\" }"));
    CHECK(has(wait, "postCreateCommand"));

    const std::string boolean = "{ \"init\": t| }";
    auto yes_items = complete_at(boolean);
    auto yes = item(yes_items, "true");
    REQUIRE(yes);
    CHECK(applied(boolean, *yes) == "{ \"init\": true }");
    // A free string value has nothing to offer.
    CHECK(complete_at("{ \"image\": \"|\" }").empty());
}

TEST_CASE("completion of well-known feature ids", "[devcontainer-features]") {
    const std::string doc =
        "{\n  \"features\": {\n    \"ghcr.io/devcontainers/features/node:1\": {},\n    \"|\n  }\n}";
    auto items = complete_at(doc);
    auto names = labels(items);
    CHECK(names.size() == 21);
    CHECK(has(names, "ghcr.io/devcontainers/features/common-utils:2"));
    CHECK(has(names, "ghcr.io/devcontainers/features/docker-in-docker:2"));
    CHECK(has(names, "ghcr.io/devcontainers/features/python:1"));
    CHECK_FALSE(has(names, "ghcr.io/devcontainers/features/node:1"));  // already there
    auto go = item(items, "ghcr.io/devcontainers/features/go:1");
    REQUIRE(go);
    CHECK(go->range == R(3, 5, 3, 5));
    CHECK(go->kind == CompletionKind::Reference);
    CHECK(go->insert_text == "ghcr.io/devcontainers/features/go:1\": {$1}");
    CHECK(contains(go->documentation, "src/go"));

    // Feature options are not completed from the property table.
    CHECK(complete_at("{ \"features\": { \"ghcr.io/devcontainers/features/go:1\": { | } } }")
              .empty());
}

TEST_CASE("completion of ${ variables inside strings", "[devcontainer-features]") {
    const std::string doc = "{ \"workspaceFolder\": \"/w/${loc|";
    auto items = complete_at(doc);
    CHECK(labels(items) ==
          std::vector<std::string>{"localEnv", "containerEnv", "localWorkspaceFolder",
                                   "containerWorkspaceFolder", "localWorkspaceFolderBasename",
                                   "containerWorkspaceFolderBasename", "devcontainerId"});
    auto env = item(items, "localEnv");
    REQUIRE(env);
    CHECK(env->range == R(0, 27, 0, 30));
    CHECK(env->insert_text == "localEnv:${1:NAME}}");
    CHECK(env->is_snippet);
    CHECK(env->kind == CompletionKind::Variable);
    auto folder = item(items, "localWorkspaceFolder");
    REQUIRE(folder);
    CHECK(applied(doc, *folder) == "{ \"workspaceFolder\": \"/w/${localWorkspaceFolder}");

    // With the brace already closed, the whole name is replaced and no brace is added.
    const std::string closed = "{ \"mounts\": [\"source=${loc|alW},target=/x\"] }";
    auto again_items = complete_at(closed);
    auto again = item(again_items, "localWorkspaceFolder");
    REQUIRE(again);
    CHECK(again->range == R(0, 23, 0, 29));
    CHECK(applied(closed, *again) ==
          "{ \"mounts\": [\"source=${localWorkspaceFolder},target=/x\"] }");

    // Past the name or after a closed reference there is nothing to add.
    CHECK(complete_at("{ \"name\": \"${localEnv:HO|\" }").empty());
    CHECK(complete_at("{ \"name\": \"${devcontainerId} |\" }").empty());
}

TEST_CASE("completion counts UTF-16 columns and stays quiet where it should",
          "[devcontainer-features]") {
    const std::string doc = "{ \"name\": \"日本🚀\", \"ima|";
    auto image_items = complete_at(doc);
    auto image = item(image_items, "image");
    REQUIRE(image);
    CHECK(image->range == R(0, 19, 0, 22));
    CHECK(applied(doc, *image) == "{ \"name\": \"日本🚀\", \"image\": \"$1\"");

    CHECK(complete_at("{ // a comment | \n}").empty());
    CHECK(complete_at("{ /* \"na| */ }").empty());
    CHECK(complete_at("|{ }").empty());
    CHECK(complete_at("{ } |").empty());
    CHECK(complete_at("{ \"image\" | }").empty());  // a colon is due, not a name
    CHECK(complete_at("|").empty());
    // A position past the end of a line clamps to it.
    SourceText src("{ \"na\n}");
    auto items = devcontainer_complete(src, {0, 99});
    REQUIRE(item(items, "name"));
    CHECK(item(items, "name")->range == R(0, 3, 0, 5));
}

// ---- Document symbols ----

TEST_CASE("document symbols: one per top-level property, objects nested",
          "[devcontainer-features]") {
    SourceText src(
        "{\n"
        "  \"name\": \"日本🚀\",\n"
        "  \"build\": {\n"
        "    \"dockerfile\": \"Dockerfile\"\n"
        "  },\n"
        "  \"features\": {\n"
        "    \"ghcr.io/devcontainers/features/node:1\": {}\n"
        "  },\n"
        "  \"runArgs\": [\"--init\", \"-e\"],\n"
        "  \"postCreateCommand\": { \"a\": \"x\", \"b\": [\"y\"] }, \"init\": true\n"
        "}\n");
    auto symbols = devcontainer_symbols(src);
    REQUIRE(symbols.size() == 6);
    CHECK(symbols[0].name == "name");
    CHECK(symbols[0].detail == "日本🚀");
    CHECK(symbols[0].kind == SymbolKind::Directive);
    CHECK(symbols[0].range == R(1, 2, 1, 16));
    CHECK(symbols[0].selection_range == R(1, 2, 1, 8));

    CHECK(symbols[1].name == "build");
    CHECK(symbols[1].range == R(2, 2, 4, 3));
    CHECK(symbols[1].selection_range == R(2, 2, 2, 9));
    REQUIRE(symbols[1].children.size() == 1);
    CHECK(symbols[1].children[0].name == "dockerfile");
    CHECK(symbols[1].children[0].detail == "Dockerfile");
    CHECK(symbols[1].children[0].range == R(3, 4, 3, 30));

    REQUIRE(symbols[2].children.size() == 1);
    CHECK(symbols[2].children[0].name == "ghcr.io/devcontainers/features/node:1");
    CHECK(symbols[2].children[0].range == R(6, 4, 6, 47));
    CHECK(symbols[2].children[0].children.empty());

    CHECK(symbols[3].name == "runArgs");
    CHECK(symbols[3].detail == "2 items");
    CHECK(symbols[3].children.empty());

    CHECK(symbols[4].name == "postCreateCommand");
    CHECK(symbols[4].range == R(9, 2, 9, 47));
    REQUIRE(symbols[4].children.size() == 2);
    CHECK(symbols[4].children[1].name == "b");
    CHECK(symbols[4].children[1].selection_range == R(9, 35, 9, 38));

    CHECK(symbols[5].name == "init");
    CHECK(symbols[5].detail == "true");
    CHECK(symbols[5].range == R(9, 49, 9, 61));

    CHECK(devcontainer_symbols(SourceText("")).empty());
    CHECK(devcontainer_symbols(SourceText("[1, 2]")).empty());
    CHECK(devcontainer_symbols(SourceText("[{ \"image\": \"x\" }]")).empty());
    // Whatever follows the root object is not part of it.
    CHECK(devcontainer_symbols(SourceText("// c\n{ \"a\": 1 } { \"b\": 2 }")).size() == 1);
    // Broken text: the members the parser recovered are still listed.
    // Broken text: unclosed members end where the text ends, a dangling key is a symbol too.
    auto broken = devcontainer_symbols(SourceText("{ \"image\": \"x\" \"build\": { \"do"));
    REQUIRE(broken.size() == 2);
    CHECK(broken[0].name == "image");
    CHECK(broken[1].name == "build");
    CHECK(broken[1].range == R(0, 15, 0, 29));
    REQUIRE(broken[1].children.size() == 1);
    CHECK(broken[1].children[0].name == "do");
    CHECK(broken[1].children[0].range == R(0, 26, 0, 29));
}

// ---- Robustness and speed ----

TEST_CASE("every feature answers at every position of valid and broken configs",
          "[devcontainer-features]") {
    const std::vector<std::string> texts = {
        kConfig,
        "{ \"build\": { \"do",
        "{ \"a\": [ } ] } { \"x\"",
        "{\"\\",
        "{ \"name\": \"${",
        "{ \"name\": \"${}\" , , : : \"features\": { \"x\": ",
        "/* open comment { \"name\"",
        "}}]]{[\"",
        "{ \"features\": { \"ghcr.io/x/y:1\" \"ghcr.io/x/z\": [ {",
    };
    for (const std::string& text : texts) {
        SourceText src(text);
        for (uint32_t line = 0; line <= src.line_count(); ++line) {
            for (uint32_t col = 0; col <= src.line(std::min(line, src.line_count() - 1)).size() + 1;
                 ++col) {
                (void)devcontainer_hover(src, {line, col});
                for (const auto& i : devcontainer_complete(src, {line, col})) {
                    CHECK(i.range.start <= i.range.end);
                    CHECK(i.range.start.line == i.range.end.line);
                }
            }
        }
        (void)devcontainer_symbols(src);
    }
}

TEST_CASE("a 500-line config is handled quickly", "[devcontainer-features]") {
    std::string text = "{\n  \"name\": \"big\",\n  \"containerEnv\": {\n";
    for (int i = 0; i < 500; ++i)
        text += "    \"VAR_" + std::to_string(i) + "\": \"${localEnv:HOME}/value/" +
                std::to_string(i) + "\",\n";
    text += "    \"LAST\": \"x\"\n  },\n  \"image\": \"x\",\n  \n}\n";
    SourceText src(text);
    const uint32_t blank = src.line_count() - 3;
    auto start = std::chrono::steady_clock::now();
    constexpr int kRounds = 20;
    for (int i = 0; i < kRounds; ++i) {
        CHECK(devcontainer_hover(src, {250, 25}));
        CHECK_FALSE(devcontainer_complete(src, {blank, 2}).empty());
        CHECK(devcontainer_symbols(src).size() == 3);
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    // Generous enough for Debug and sanitizer builds; still catches quadratic behaviour.
    CHECK(elapsed.count() < 2000);
}
