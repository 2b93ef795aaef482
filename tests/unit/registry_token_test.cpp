// Bearer token auth against the real thing: Debian's docker-registry in its `auth: token` mode,
// with our small token issuer (tests/support/token_server.js) as the authorization service. The
// client follows the challenge, asks for the scopes it needs (pull, push, a mount's source), and
// caches tokens per scope; skopeo, not ours, reads what we pushed with the same service.
#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

struct TokenService {
    fs::path dir;
    std::unique_ptr<ChildProcess> process;
    std::string realm;

    TokenService() {
        dir = fresh_temp_dir("token-service");
        int status;
        run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=envbuilder-test-issuer "
            "-keyout " +
                (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string(),
            &status);
        REQUIRE(status == 0);
        process = std::make_unique<ChildProcess>(
            std::vector<std::string>{
                "node", std::string(ENVBUILDER_SOURCE_DIR) + "/tests/support/token_server.js",
                "--key", (dir / "key.pem").string(), "--cert", (dir / "cert.pem").string(),
                "--issuer", "envbuilder-test-issuer", "--htpasswd-user", kTestUser,
                "--htpasswd-pass", kTestPassword, "--port-file", (dir / "port").string(), "--log",
                (dir / "tokens.jsonl").string()},
            dir / "service.out");
        realm = "http://127.0.0.1:" + std::to_string(wait_for_port_file(dir / "port")) + "/token";
    }
    ~TokenService() {
        process.reset();
        fs::remove_all(dir);
    }
    RegistrySetup registry_setup() const {
        RegistrySetup s;
        s.auth = RegistrySetup::Auth::token;
        s.token_realm = realm;
        s.token_cert = dir / "cert.pem";
        return s;
    }
    std::vector<json> requests() const { return read_json_lines(dir / "tokens.jsonl"); }
    bool was_asked_for(const std::string& scope) const {
        for (const auto& r : requests())
            for (const auto& s : r["scope"])
                if (s == scope) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("token auth: scopes for pull, push and mounts; anonymous pulls; refusals are clear",
          "[registry-live]") {
    TokenService tokens;
    LiveRegistry reg(tokens.registry_setup());
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store, 2);

    registry::RegistryClient client(reg.client_options());
    auto app = reg.ref("team/app:1");
    push_image(client, app, "1", store, image);
    CHECK(tokens.was_asked_for("repository:team/app:pull,push"));
    size_t token_requests = tokens.requests().size();
    // The token is cached for its scope: more requests in that scope fetch no new token.
    CHECK(client.has_blob(app, image.layers[0].digest));
    CHECK(tokens.requests().size() == token_requests);

    // A mount needs pull rights on the source repository as well: both scopes in one token.
    auto other = reg.ref("team/other:1");
    CHECK(client.push_blob(other, image.layers[0], store) == registry::PushOutcome::mounted);
    CHECK(tokens.was_asked_for("repository:team/app:pull"));
    CHECK(tokens.was_asked_for("repository:team/other:pull,push"));

    // skopeo reads the image through the same token service.
    int status;
    std::string inspect = run(
        "skopeo inspect" + reg.skopeo_flags("") + " docker://" + reg.host + "/team/app:1", &status);
    INFO(inspect);
    REQUIRE(status == 0);
    CHECK(json::parse(inspect)["Digest"] == oci::digest_of(image.manifest).str());

    // Anonymous: the service grants pull only, so pulls work and a push is refused clearly.
    registry::RegistryClient anonymous{registry::RegistryOptions{}};
    oci::BlobStore pulled(reg.dir / "pulled");
    CHECK(anonymous.get_manifest(app, "1").digest == oci::digest_of(image.manifest));
    CHECK(anonymous.pull_blobs(app, image.blobs(), pulled) ==
          std::vector<std::string>(3, reg.host));
    try {
        anonymous.push_blob(reg.ref("team/anon:1"), image.layers[0], store);
        FAIL("an anonymous push must be refused");
    } catch (const registry::RegistryError& e) {
        std::string m = e.what();
        CHECK(m.find("team/anon") != std::string::npos);
        CHECK(m.find("401") != std::string::npos);
    }

    // Wrong password: the token service refuses, the message names the user but not the secret.
    std::ofstream(reg.dir / "bad.json")
        << json{{"auths",
                 {{reg.host, {{"username", kTestUser}, {"password", "not-the-password"}}}}}}
               .dump();
    registry::RegistryOptions bad;
    bad.credentials = registry::CredentialStore::from_file(reg.dir / "bad.json");
    registry::RegistryClient refused(bad);
    try {
        refused.get_manifest(app, "1");
        FAIL("wrong credentials must be refused");
    } catch (const registry::RegistryError& e) {
        std::string m = e.what();
        CHECK(m.find("token service") != std::string::npos);
        CHECK(m.find(kTestUser) != std::string::npos);
        CHECK(m.find("not-the-password") == std::string::npos);
    }
    unsetenv("ENVBUILDER_CERTS_DIR");
}
