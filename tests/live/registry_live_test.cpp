// Against the real thing: Debian's docker-registry (Distribution) on 127.0.0.1 with TLS (our own
// CA) and htpasswd auth. We push an image with our client, skopeo (not ours) inspects it, and we
// pull it back. Needs docker-registry, htpasswd, openssl, tar, gzip and skopeo (scripts/bootstrap).
#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;

TEST_CASE("mirrors: tried in order, origin as fallback, every source named when all fail",
          "[registry-live]") {
    LiveRegistry origin;
    LiveRegistry mirror(RegistrySetup::plain_http());
    setenv("ENVBUILDER_CERTS_DIR", (origin.dir / "certs.d").c_str(), 1);
    std::ofstream(origin.dir / "docker-config.json")
        << json{{"auths", {{origin.host, {{"username", "tester"}, {"password", "s3cret-pw"}}}}}}
               .dump();
    oci::BlobStore store(origin.dir / "store");
    SampleImage image = sample_image(origin.dir, store);
    const std::string& manifest = image.manifest;
    const oci::Descriptor& layer = image.layers[0];

    registry::RegistryOptions origin_options;
    origin_options.credentials =
        registry::CredentialStore::from_file(origin.dir / "docker-config.json");
    registry::RegistryClient to_origin(origin_options);
    auto ref = std::get<oci::Reference>(oci::parse_reference(origin.host + "/team/app:1.0"));
    push_image(to_origin, ref, "1.0", store, image);

    // A dead mirror first, then an empty one, then the origin.
    registry::RegistryOptions options = origin_options;
    options.insecure_registries = {mirror.host};
    int dead = free_port();
    registry::add_mirror(options, origin.host + "=http://127.0.0.1:" + std::to_string(dead));
    registry::add_mirror(options, origin.host + "=http://" + mirror.host);
    options.attempts = 1;
    registry::RegistryClient client(options);
    auto fetched = client.get_manifest(ref, "1.0");
    CHECK(fetched.source == origin.host);
    CHECK(fetched.digest == oci::digest_of(manifest));

    // Once the mirror has the image, it serves it.
    registry::RegistryOptions mirror_push;
    mirror_push.insecure_registries = {mirror.host};
    registry::RegistryClient to_mirror(mirror_push);
    auto mirror_ref = std::get<oci::Reference>(oci::parse_reference(mirror.host + "/team/app:1.0"));
    push_image(to_mirror, mirror_ref, "1.0", store, image);
    CHECK(client.get_manifest(ref, "1.0").source == "http://" + mirror.host);
    oci::BlobStore pulled(origin.dir / "pulled");
    CHECK(client.pull_blob(ref, layer, pulled) == "http://" + mirror.host);
    CHECK(client.pull_blob(ref, layer, pulled) == "cache");

    // Without fallback, a repository no mirror has fails, and the error names each mirror and why.
    options.mirror_fallback = false;
    registry::RegistryClient strict(options);
    auto absent = std::get<oci::Reference>(oci::parse_reference(origin.host + "/team/absent:1"));
    try {
        strict.get_manifest(absent, "1");
        FAIL("expected every source to fail");
    } catch (const registry::RegistryError& e) {
        std::string m = e.what();
        CHECK(m.find("mirror http://127.0.0.1:" + std::to_string(dead)) != std::string::npos);
        CHECK(m.find("mirror http://" + mirror.host) != std::string::npos);
        CHECK(m.find("404") != std::string::npos);
        CHECK(m.find("registry https://") == std::string::npos);
    }

    // Docker Hub references go through --registry-mirror URL, as Docker's daemon does; no network
    // is needed since the origin is never asked.
    registry::RegistryOptions hub;
    hub.insecure_registries = {mirror.host};
    hub.mirror_fallback = false;
    registry::add_mirror(hub, "http://" + mirror.host);
    auto library =
        std::get<oci::Reference>(oci::parse_reference(mirror.host + "/library/busybox:latest"));
    push_image(to_mirror, library, "latest", store, image);
    registry::RegistryClient via_mirror(hub);
    auto busybox = std::get<oci::Reference>(oci::parse_reference("busybox"));
    CHECK(via_mirror.get_manifest(busybox, "latest").source == "http://" + mirror.host);
    CHECK_THROWS_AS(registry::add_mirror(hub, "mirror.example.com"), std::invalid_argument);
    unsetenv("ENVBUILDER_CERTS_DIR");
}

TEST_CASE("push to and pull from a real registry with TLS and auth; skopeo agrees",
          "[registry-live]") {
    LiveRegistry reg;
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    std::ofstream(reg.dir / "docker-config.json")
        << json{{"auths", {{reg.host, {{"username", "tester"}, {"password", "s3cret-pw"}}}}}}
               .dump();

    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store);
    const std::string& manifest = image.manifest;
    const oci::Descriptor& layer = image.layers[0];
    const oci::Descriptor& config_desc = image.config;
    std::string layer_bytes = store.read(layer.digest);

    registry::RegistryOptions options;
    options.credentials = registry::CredentialStore::from_file(reg.dir / "docker-config.json");
    registry::RegistryClient client(options);
    auto ref = std::get<oci::Reference>(oci::parse_reference(reg.host + "/test/hello:v1"));
    CHECK(client.push_blob(ref, layer, store) == registry::PushOutcome::uploaded);
    CHECK(client.push_blob(ref, config_desc, store) == registry::PushOutcome::uploaded);
    CHECK(client.push_blob(ref, layer, store) == registry::PushOutcome::already_present);
    oci::Digest pushed = client.push_manifest(ref, "v1", manifest, oci::kMediaTypeImageManifest);
    CHECK(pushed == oci::digest_of(manifest));

    // skopeo, not ours, reads it back through TLS with our CA and the same credentials.
    int status = 0;
    std::string inspect =
        run("skopeo inspect --cert-dir " + (reg.dir / "certs.d" / reg.host).string() +
                " --creds tester:s3cret-pw docker://" + reg.host + "/test/hello:v1",
            &status);
    INFO(inspect);
    REQUIRE(status == 0);
    auto info = json::parse(inspect);
    CHECK(info["Digest"] == pushed.str());
    CHECK(info["Layers"][0] == layer.digest.str());

    // Pull it back into an empty store, verified as it streams.
    oci::BlobStore fresh(reg.dir / "pulled");
    auto fetched = client.get_manifest(ref, "v1");
    CHECK(fetched.digest == pushed);
    auto parsed =
        std::get<oci::Manifest>(oci::parse_manifest_document(fetched.body, fetched.media_type));
    client.pull_blob(ref, parsed.layers[0], fresh);
    client.pull_blob(ref, parsed.config, fresh);
    CHECK(fresh.read(layer.digest) == layer_bytes);
    CHECK(client.get_manifest(ref, pushed.str()).body == manifest);

    // Wrong credentials: a clear error that names the registry and never shows the password.
    std::ofstream(reg.dir / "bad-config.json")
        << json{{"auths", {{reg.host, {{"username", "tester"}, {"password", "wrong-pw"}}}}}}.dump();
    registry::RegistryOptions bad;
    bad.credentials = registry::CredentialStore::from_file(reg.dir / "bad-config.json");
    registry::RegistryClient refused(bad);
    try {
        refused.get_manifest(ref, "v1");
        FAIL("expected a refusal");
    } catch (const registry::RegistryError& e) {
        std::string message = e.what();
        CHECK(message.find("401") != std::string::npos);
        CHECK(message.find(reg.host) != std::string::npos);
        CHECK(message.find("wrong-pw") == std::string::npos);
    }

    // Without the registry's CA, TLS verification fails rather than being skipped.
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "nowhere").c_str(), 1);
    registry::RegistryClient untrusting(options);
    CHECK_THROWS_AS(untrusting.get_manifest(ref, "v1"), registry::RegistryError);
    unsetenv("ENVBUILDER_CERTS_DIR");
}

TEST_CASE("envbuilder pull, inspect and push against a real registry; skopeo reads the results",
          "[registry-live]") {
    LiveRegistry reg;
    fs::path docker_config = reg.dir / "docker";
    fs::create_directories(docker_config);
    std::ofstream(docker_config / "config.json")
        << json{{"auths", {{reg.host, {{"auth", "dGVzdGVyOnMzY3JldC1wdw=="}}}}}}
               .dump();  // tester:s3cret-pw
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store);
    const std::string& manifest = image.manifest;
    const oci::Descriptor& layer = image.layers[0];
    registry::RegistryOptions options;
    options.credentials = registry::CredentialStore::from_file(docker_config / "config.json");
    registry::RegistryClient client(options);
    auto ref = std::get<oci::Reference>(oci::parse_reference(reg.host + "/cli/app:2"));
    push_image(client, ref, "2", store, image);

    std::string env = "DOCKER_CONFIG=" + docker_config.string() +
                      " ENVBUILDER_CERTS_DIR=" + (reg.dir / "certs.d").string();
    std::string binary = ENVBUILDER_BINARY;
    int status;
    std::string pulled =
        run(env + " " + binary + " pull " + reg.host + "/cli/app:2 --cache-dir " +
                (reg.dir / "cache").string() + " --oci-layout " + (reg.dir / "layout").string(),
            &status);
    INFO(pulled);
    REQUIRE(status == 0);
    CHECK(pulled.find("blob " + layer.digest.str()) != std::string::npos);
    CHECK(pulled.find("from " + reg.host) != std::string::npos);
    std::string layout = run("skopeo inspect oci:" + (reg.dir / "layout").string() + ":2", &status);
    INFO(layout);
    REQUIRE(status == 0);
    CHECK(json::parse(layout)["Layers"][0] == layer.digest.str());

    std::string inspected = run(env + " " + binary + " inspect " + reg.host +
                                    "/cli/app:2 --cache-dir " + (reg.dir / "cache2").string(),
                                &status);
    INFO(inspected);
    REQUIRE(status == 0);
    auto j = json::parse(inspected.substr(inspected.find('{')));
    CHECK(j["digest"] == oci::digest_of(manifest).str());
    CHECK(j["config"]["os"] == "linux");
    CHECK(j["sources"]["manifest"] == reg.host);

    // The layout we wrote goes back up under another name; skopeo sees the same image.
    std::string pushed = run(env + " " + binary + " push " + (reg.dir / "layout").string() + " " +
                                 reg.host + "/cli/copy:3",
                             &status);
    INFO(pushed);
    REQUIRE(status == 0);
    CHECK(pushed.find("already present") ==
          std::string::npos);  // a new repository: every blob uploaded
    std::string copy =
        run("skopeo inspect --cert-dir " + (reg.dir / "certs.d" / reg.host).string() +
                " --creds tester:s3cret-pw docker://" + reg.host + "/cli/copy:3",
            &status);
    INFO(copy);
    REQUIRE(status == 0);
    CHECK(json::parse(copy)["Digest"] == oci::digest_of(manifest).str());
    std::string again = run(env + " " + binary + " push " + (reg.dir / "layout").string() + " " +
                                reg.host + "/cli/copy:4",
                            &status);
    CHECK(status == 0);
    CHECK(again.find("already present") != std::string::npos);
    // A layout missing a blob is refused before anything is tagged.
    fs::remove(reg.dir / "layout" / "blobs" / layer.digest.algorithm / layer.digest.hex);
    std::string broken = run(env + " " + binary + " push " + (reg.dir / "layout").string() + " " +
                                 reg.host + "/cli/broken:1",
                             &status);
    CHECK(status == 1);
    CHECK(broken.find("missing") != std::string::npos);
    run("skopeo inspect --cert-dir " + (reg.dir / "certs.d" / reg.host).string() +
            " --creds tester:s3cret-pw docker://" + reg.host + "/cli/broken:1",
        &status);
    CHECK(status != 0);

    // Bad input: a clear message and exit status, never a crash.
    run(binary + " pull 'Not A Ref!!'", &status);
    CHECK(status == 1);
    run(binary + " pull", &status);
    CHECK(status == 2);
    run(binary + " pull x --registry-mirror nonsense", &status);
    CHECK(status == 2);
    unsetenv("ENVBUILDER_CERTS_DIR");
}
