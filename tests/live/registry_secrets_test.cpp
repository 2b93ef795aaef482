// Secrets never reach the output of `envbuilder pull`: a password in a mirror URL, a credential
// helper that prints a secret to stderr; and a helper that never answers fails the pull in time,
// by name.
#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

constexpr const char* kMirrorPassword = "mirror-pa55word";
constexpr const char* kHelperSecret = "helper-leaked-Secret-42";

// A directory holding docker-credential-<name> (a shell script) and a Docker config that sends
// `registry`'s lookups to it.
fs::path helper_setup(const fs::path& dir, const std::string& name, const std::string& script,
                      const std::string& registry) {
    fs::create_directories(dir / "bin");
    fs::path helper = dir / "bin" / ("docker-credential-" + name);
    std::ofstream(helper) << "#!/bin/sh\n" << script;
    fs::permissions(helper, fs::perms::owner_all);
    std::ofstream(dir / "config.json") << json{{"credHelpers", {{registry, name}}}}.dump();
    return dir;
}

std::string pull_command(const LiveRegistry& reg, const fs::path& dir, const std::string& env,
                         const std::string& extra = "") {
    return "env " + env + " ENVBUILDER_CERTS_DIR=" + (reg.dir / "certs.d").string() + " " +
           ENVBUILDER_BINARY + " pull " + reg.host + "/team/app:1 --cache-dir " +
           (dir / "cache").string() + extra;
}

}  // namespace

TEST_CASE("secrets: a mirror URL's password is never printed", "[registry-live]") {
    LiveRegistry origin(RegistrySetup::plain_http());
    oci::BlobStore store(origin.dir / "store");
    SampleImage image = sample_image(origin.dir, store);
    {
        registry::RegistryClient client(origin.client_options());
        push_image(client, origin.ref("team/app:1"), "1", store, image);
    }
    fs::path dir = fresh_temp_dir("secrets-mirror");
    const std::string userinfo = std::string("mirror-user:") + kMirrorPassword + "@";
    const std::string base = std::string(ENVBUILDER_BINARY) + " pull " + origin.host +
                             "/team/app:1 --insecure-registry " + origin.host + " --cache-dir " +
                             (dir / "cache").string();

    SECTION("a dead mirror: the error names it without the password") {
        const std::string dead = "127.0.0.1:" + std::to_string(free_port());
        int status;
        std::string out = run(base + " --no-mirror-fallback --registry-mirror " + origin.host +
                                  "=http://" + userinfo + dead,
                              &status);
        INFO(out);
        CHECK(status == 1);
        CHECK(out.find(dead) != std::string::npos);
        CHECK(out.find("http://***@" + dead) != std::string::npos);
        CHECK(out.find(kMirrorPassword) == std::string::npos);
        CHECK(out.find("mirror-user") == std::string::npos);
    }
    SECTION("a working mirror: progress lines name it without the password") {
        int status;
        std::string out =
            run(base + " --registry-mirror " + origin.host + "=http://" + userinfo + origin.host,
                &status);
        INFO(out);
        CHECK(status == 0);
        CHECK(out.find("from http://***@" + origin.host) != std::string::npos);
        CHECK(out.find(kMirrorPassword) == std::string::npos);
    }
    SECTION("a malformed mirror value: the usage error hides it too") {
        int status;
        std::string out = run(base + " --registry-mirror ftp://" + userinfo + "x", &status);
        INFO(out);
        CHECK(status == 2);
        CHECK(out.find(kMirrorPassword) == std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("secrets: a credential helper's output is never echoed; a silent one times out",
          "[registry-live]") {
    LiveRegistry reg;  // TLS and htpasswd: the pull needs credentials, so it asks the helper
    fs::path dir = fresh_temp_dir("secrets-helper");

    SECTION("a helper that prints a secret to stderr and fails") {
        helper_setup(dir, "leaky",
                     std::string("read server\necho 'stderr: token ") + kHelperSecret +
                         "' >&2\necho '{\"Secret\": \"" + kHelperSecret + "\"}'\nexit 1\n",
                     reg.host);
        int status;
        std::string out =
            run(pull_command(reg, dir,
                             "DOCKER_CONFIG=" + dir.string() + " PATH=" + (dir / "bin").string() +
                                 ":" + std::getenv("PATH")),
                &status);
        INFO(out);
        CHECK(status == 1);
        CHECK(out.find("docker-credential-leaky") != std::string::npos);
        CHECK(out.find("exit code 1") != std::string::npos);
        CHECK(out.find(kHelperSecret) == std::string::npos);
    }
    SECTION("a helper that never answers is stopped after the timeout, by name") {
        helper_setup(dir, "stuck", "echo 'waiting for a keychain' >&2\nsleep 4321\n", reg.host);
        int status;
        auto started = std::chrono::steady_clock::now();
        std::string out = run(
            pull_command(reg, dir,
                         "ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT=1 DOCKER_CONFIG=" + dir.string() +
                             " PATH=" + (dir / "bin").string() + ":" + std::getenv("PATH")),
            &status);
        auto took = std::chrono::steady_clock::now() - started;
        INFO(out);
        CHECK(status == 1);
        CHECK(out.find("docker-credential-stuck") != std::string::npos);
        CHECK(out.find("did not answer within 1 s") != std::string::npos);
        CHECK(out.find("waiting for a keychain") == std::string::npos);
        CHECK(took < std::chrono::seconds(15));
        // The helper and what it started are gone.
        // (The bracket keeps the pattern from matching the shell that runs pgrep.)
        CHECK(run("pgrep -f 'sleep 432[1]' | wc -l") == "0\n");
    }
    SECTION("a bad timeout value is a clear error") {
        helper_setup(dir, "unused", "exit 0\n", reg.host);
        int status;
        std::string out = run(
            pull_command(reg, dir,
                         "ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT=soon DOCKER_CONFIG=" + dir.string() +
                             " PATH=" + (dir / "bin").string() + ":" + std::getenv("PATH")),
            &status);
        INFO(out);
        CHECK(status == 1);
        CHECK(out.find("ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT") != std::string::npos);
        CHECK(out.find("'soon'") != std::string::npos);
    }
    fs::remove_all(dir);
}
