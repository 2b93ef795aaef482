// Bearer token auth against the real thing: Debian's docker-registry in its `auth: token` mode,
// with our small token issuer (tests/support/token_server.js) as the authorization service. The
// client follows the challenge, asks for the scopes it needs (pull, push, a mount's source), and
// caches tokens per scope; skopeo, not ours, reads what we pushed with the same service. The
// credentials reach a realm on another host only over verified TLS, or over plain HTTP to a host
// named insecure.
#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

struct TokenService {
    fs::path dir;
    std::unique_ptr<ChildProcess> process;
    std::string host;  // address:port it listens on
    std::string realm;

    // Over https (a certificate for 127.0.0.1 from a CA of its own, see trust_in) or plain http,
    // listening on `address`.
    explicit TokenService(bool tls = true, const std::string& address = "127.0.0.1") {
        dir = fresh_temp_dir("token-service");
        int status;
        run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=envbuilder-test-issuer "
            "-keyout " +
                (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string(),
            &status);
        REQUIRE(status == 0);
        std::vector<std::string> argv{
            "node",
            std::string(ENVBUILDER_SOURCE_DIR) + "/tests/support/token_server.js",
            "--key",
            (dir / "key.pem").string(),
            "--cert",
            (dir / "cert.pem").string(),
            "--issuer",
            "envbuilder-test-issuer",
            "--htpasswd-user",
            kTestUser,
            "--htpasswd-pass",
            kTestPassword,
            "--port-file",
            (dir / "port").string(),
            "--log",
            (dir / "tokens.jsonl").string(),
            "--host",
            address};
        if (tls) {
            make_certificates(dir);
            argv.insert(argv.end(), {"--tls-cert", (dir / "server.crt").string(), "--tls-key",
                                     (dir / "server.key").string()});
        }
        process = std::make_unique<ChildProcess>(argv, dir / "service.out");
        host = address + ":" + std::to_string(wait_for_port_file(dir / "port", address));
        realm = std::string(tls ? "https://" : "http://") + host + "/token";
    }
    // Makes the client trust this service's CA, the way it trusts a registry's (certs.d).
    void trust_in(const fs::path& certs_dir) const {
        fs::create_directories(certs_dir / host);
        fs::copy_file(dir / "ca.crt", certs_dir / host / "ca.crt",
                      fs::copy_options::overwrite_existing);
    }
    // The users the token requests came from (null: anonymous).
    std::vector<json> users() const {
        std::vector<json> out;
        for (const auto& r : requests()) out.push_back(r["user"]);
        return out;
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
    tokens.trust_in(reg.dir / "certs.d");
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store, 2);

    registry::RegistryClient client(reg.client_options());
    auto app = reg.ref("team/app:1");
    push_image(client, app, "1", store, image);
    CHECK(tokens.was_asked_for("repository:team/app:pull,push"));
    // The realm is on another host (its own port) over verified TLS: it got the credentials.
    CHECK(tokens.users().front() == kTestUser);
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
    // (Go trusts the token service's CA through SSL_CERT_FILE, the registry's through certs.d.)
    std::string inspect =
        run("SSL_CERT_FILE=" + (tokens.dir / "ca.crt").string() + " skopeo inspect" +
                reg.skopeo_flags("") + " docker://" + reg.host + "/team/app:1",
            &status);
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

TEST_CASE("token auth: credentials go to another host's realm only over verified TLS",
          "[registry-live]") {
    // The registry points at a realm over plain HTTP on another host (127.0.0.2).
    TokenService plain(false, "127.0.0.2");
    LiveRegistry reg(plain.registry_setup());
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store, 1);
    auto app = reg.ref("team/app:1");

    // Refused before anything is sent: the message names the realm and the fix.
    registry::RegistryClient careful(reg.client_options());
    try {
        push_image(careful, app, "1", store, image);
        FAIL("credentials must not go to an http:// realm");
    } catch (const registry::RegistryError& e) {
        std::string m = e.what();
        CHECK(m.find(plain.realm) != std::string::npos);
        CHECK(m.find("plain HTTP") != std::string::npos);
        CHECK(m.find("--insecure-registry " + plain.host) != std::string::npos);
        CHECK(m.find(kTestPassword) == std::string::npos);
    }
    CHECK(plain.requests().empty());

    // Named insecure: the credentials go, with a warning that says so.
    registry::RegistryOptions trusting = reg.client_options();
    trusting.insecure_registries.insert(plain.host);
    std::vector<std::string> warnings;
    trusting.on_warning = [&](const std::string& w) { warnings.push_back(w); };
    registry::RegistryClient allowed(trusting);
    push_image(allowed, app, "1", store, image);
    REQUIRE_FALSE(plain.requests().empty());
    CHECK(plain.users().front() == kTestUser);
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings.front().find(plain.realm) != std::string::npos);
    CHECK(warnings.front().find("plain HTTP") != std::string::npos);
    CHECK(warnings.front().find(kTestPassword) == std::string::npos);

    // Anonymous pulls carry no secret: they may use the http:// realm.
    const size_t before = plain.requests().size();
    registry::RegistryClient anonymous{registry::RegistryOptions{}};
    CHECK(anonymous.get_manifest(app, "1").digest == oci::digest_of(image.manifest));
    REQUIRE(plain.requests().size() > before);
    CHECK(plain.users().back().is_null());
    unsetenv("ENVBUILDER_CERTS_DIR");
}

TEST_CASE("token auth: a realm whose certificate is not trusted gets nothing", "[registry-live]") {
    TokenService untrusted(true);  // its CA is never handed to the client
    LiveRegistry reg(untrusted.registry_setup());
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    registry::RegistryClient client(reg.client_options());
    try {
        client.get_manifest(reg.ref("team/app:1"), "1");
        FAIL("an unverified realm must fail");
    } catch (const std::exception& e) {
        std::string m = e.what();
        INFO(m);
        CHECK((m.find("SSL") != std::string::npos || m.find("certificate") != std::string::npos));
        CHECK(m.find(kTestPassword) == std::string::npos);
    }
    CHECK(untrusted.requests().empty());
    unsetenv("ENVBUILDER_CERTS_DIR");
}
