// Every command of the real binary: --help (exit 0, usage on stdout), a mistyped option (exit 2,
// the nearest option named), a missing value; README.md quotes `envbuilder build --help` exactly.
#include "live_registry.h"

using namespace envbuilder::testing;

namespace {
struct Result {
    int status = -1;
    std::string out, err;
};

// Runs the binary with `args` (shell words) and `env` before it; stdout and stderr apart.
Result run_binary(const std::string& args, const std::string& env = "") {
    fs::path err_file = fs::temp_directory_path() / ("eb-help-err-" + std::to_string(::getpid()));
    Result r;
    r.out = run(env + " " + std::string(ENVBUILDER_BINARY) + " " + args + " 2>" +
                    err_file.string() + " </dev/null",
                &r.status);
    r.err = read_file(err_file);
    fs::remove(err_file);
    return r;
}

size_t secrets_in_shm() {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/dev/shm", ec); !ec && it != fs::directory_iterator();
         ++it)
        if (it->path().filename().string().rfind("envbuilder-secret-", 0) == 0) ++n;
    return n;
}
}  // namespace

TEST_CASE("cli: every command answers --help and -h with its usage", "[cli][help]") {
    for (const char* command : {"build", "lint", "pull", "push", "inspect", "lsp", "version"}) {
        for (const char* flag : {"--help", "-h"}) {
            INFO(command << " " << flag);
            Result r = run_binary(std::string(command) + " " + flag);
            CHECK(r.status == 0);
            CHECK_THAT(r.out, Catch::StartsWith("usage: envbuilder " + std::string(command)));
            CHECK_THAT(r.out, Catch::Contains("-h, --help"));
            CHECK(r.err.empty());
        }
    }
    // The registry options are in the help of every command that talks to a registry.
    for (const char* command : {"build", "pull", "push", "inspect"}) {
        INFO(command);
        CHECK_THAT(run_binary(std::string(command) + " --help").out,
                   Catch::Contains("--registry-mirror") && Catch::Contains("--cache-dir DIR"));
    }
    Result top = run_binary("--help");
    CHECK(top.status == 0);
    CHECK_THAT(top.out, Catch::Contains("envbuilder <command> --help"));
}

TEST_CASE("cli: a mistyped option names the nearest; a missing value names its option",
          "[cli][help]") {
    const std::pair<const char*, const char*> usage_errors[] = {
        {"build --no-psuh", "unknown option '--no-psuh' (did you mean --no-push?)"},
        {"pull --cache-dri /tmp alpine", "did you mean --cache-dir?"},
        {"lint --formt json x", "did you mean --format?"},
        {"lsp --stdoi", "did you mean --stdio?"},
        {"push --insecure-registy h dir ref", "did you mean --insecure-registry?"},
        {"build --no-push --dockerfile", "--dockerfile needs a value (--dockerfile PATH)"},
        {"inspect --platform", "--platform needs a value"},
        {"build --no-push --no-cache=yes", "--no-cache takes no value, got 'yes'"},
        {"build --no-push --target a --target b", "--target is given twice"},
        {"version extra", "unexpected argument 'extra'"},
        {"buidl", "did you mean build?"},
        // --flag=value is the same as --flag value.
        {"lint --format=yaml x", "unknown format 'yaml'"},
        {"build --no-push --compression=brotli", "--compression takes gzip, zstd, got 'brotli'"},
    };
    for (const auto& [args, message] : usage_errors) {
        INFO(args);
        Result r = run_binary(args);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains(message));
        CHECK(r.out.empty());
    }
}

TEST_CASE("cli: a build whose options do not parse has staged no secret", "[cli][help]") {
    const size_t before = secrets_in_shm();
    // The secret comes first and is valid: only a later option is wrong.
    Result r =
        run_binary("build --no-push --secret id=token,env=EB_HELP_TEST_SECRET --no-such-option",
                   "EB_HELP_TEST_SECRET=hunter2");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("unknown option '--no-such-option'"));
    CHECK(r.err.find("hunter2") == std::string::npos);
    CHECK(secrets_in_shm() == before);
    // A secret whose variable is unset is still a usage error, after parsing.
    r = run_binary("build --no-push --secret id=token,env=EB_HELP_TEST_UNSET");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("--secret token: $EB_HELP_TEST_UNSET is not set"));
}

TEST_CASE("cli: README.md quotes `envbuilder build --help` verbatim", "[cli][help][readme]") {
    Result r = run_binary("build --help");
    REQUIRE(r.status == 0);
    std::string readme = read_file(fs::path(ENVBUILDER_SOURCE_DIR) / "README.md");
    REQUIRE_FALSE(readme.empty());
    // In a fenced block of its own: the fence, the help text, the closing fence.
    std::string fenced = "```\n" + r.out + "```\n";
    INFO("README.md must hold, in a fenced block, the output of envbuilder build --help:\n"
         << r.out);
    CHECK(readme.find(fenced) != std::string::npos);
}
