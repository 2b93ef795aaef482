// Faults between the client and a real registry, injected by our loopback proxy
// (tests/support/fault_proxy.js): dropped connections mid-blob, 500s, 429 with Retry-After, bytes
// that do not match their digest, a manifest that never ends, a failed upload chunk, cancellation,
// a Retry-After of centuries, a blob trickling in, a Content-Length larger than the body.
// Each ends in a retry that succeeds or a clear error, and the blob store stays clean.
#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

// Our fault proxy in front of `upstream`, with `rules`; its request log is read back as JSON.
struct FaultProxy {
    fs::path dir;
    std::unique_ptr<ChildProcess> process;
    std::string host;

    // Listening on `address` (127.0.0.2 plays another host).
    FaultProxy(const LiveRegistry& upstream, const json& rules,
               const std::string& address = "127.0.0.1") {
        dir = fresh_temp_dir("fault-proxy");
        std::ofstream(dir / "rules.json") << rules.dump();
        process = std::make_unique<ChildProcess>(
            std::vector<std::string>{
                "node", std::string(ENVBUILDER_SOURCE_DIR) + "/tests/support/fault_proxy.js",
                "--upstream", upstream.url(), "--rules", (dir / "rules.json").string(),
                "--port-file", (dir / "port").string(), "--log", (dir / "requests.jsonl").string(),
                "--host", address},
            dir / "proxy.out");
        host = address + ":" + std::to_string(wait_for_port_file(dir / "port", address));
    }
    ~FaultProxy() {
        process.reset();
        fs::remove_all(dir);
    }
    std::vector<json> requests() const { return read_json_lines(dir / "requests.jsonl"); }
    std::vector<json> requests_to(const std::string& method, const std::string& path_part) const {
        std::vector<json> out;
        for (const auto& r : requests())
            if (r["method"] == method &&
                r["path"].get<std::string>().find(path_part) != std::string::npos)
                out.push_back(r);
        return out;
    }
    oci::Reference ref(const std::string& name) const {
        return std::get<oci::Reference>(oci::parse_reference(host + "/" + name));
    }
    registry::RegistryOptions options() const {
        registry::RegistryOptions o;
        o.insecure_registries.insert(host);
        return o;
    }
};

json rule(const std::string& method, const std::string& path, json action, int times = 1,
          int skip = 0) {
    return {{"method", method},
            {"path", path},
            {"times", times},
            {"skip", skip},
            {"action", std::move(action)}};
}

// One registry with one image (a 2 MiB layer) for every fault below.
struct Fixture {
    LiveRegistry backend{RegistrySetup::plain_http()};
    oci::BlobStore source{backend.dir / "source"};
    SampleImage image = sample_image(backend.dir, source, 1, 2 << 20);
    Fixture() {
        registry::RegistryClient client(backend.client_options());
        push_image(client, backend.ref("faults/app:1"), "1", source, image);
    }
    const oci::Descriptor& layer() const { return image.layers[0]; }
    // The layer pulled into `store` holds exactly the pushed bytes.
    void check_layer_in(const oci::BlobStore& store) const {
        CHECK(read_file(store.path(layer().digest)) == read_file(source.path(layer().digest)));
    }
};

}  // namespace

TEST_CASE("faults: a dropped connection resumes with Range, or restarts when ranges are ignored",
          "[registry-live]") {
    Fixture f;
    const std::string blob_path = "/blobs/" + f.layer().digest.str();
    const uint64_t cut = 700000;

    SECTION("resumed where it broke") {
        FaultProxy proxy(
            f.backend,
            json::array({rule("GET", blob_path, {{"type", "drop_after"}, {"bytes", cut}})}));
        registry::RegistryClient client(proxy.options());
        oci::BlobStore store(proxy.dir / "store");
        CHECK(client.pull_blob(proxy.ref("faults/app"), f.layer(), store) == proxy.host);
        f.check_layer_in(store);
        auto gets = proxy.requests_to("GET", blob_path);
        REQUIRE(gets.size() == 2);
        CHECK(gets[0]["range"].is_null());
        CHECK(gets[1]["range"] == "bytes=" + std::to_string(cut) + "-");
        CHECK(gets[1]["status"] == 206);
        CHECK(leftover_temporaries(store) == 0);
    }
    SECTION("a source that ignores Range sends it all again") {
        FaultProxy proxy(
            f.backend,
            json::array({rule("GET", blob_path, {{"type", "drop_after"}, {"bytes", cut}}),
                         rule("GET", blob_path, {{"type", "ignore_range"}})}));
        registry::RegistryClient client(proxy.options());
        oci::BlobStore store(proxy.dir / "store");
        client.pull_blob(proxy.ref("faults/app"), f.layer(), store);
        f.check_layer_in(store);
        auto gets = proxy.requests_to("GET", blob_path);
        REQUIRE(gets.size() == 2);
        CHECK(gets[1]["status"] == 200);
    }
}

TEST_CASE("faults: 500 and 429 are retried, Retry-After honoured", "[registry-live]") {
    Fixture f;
    FaultProxy proxy(
        f.backend,
        json::array(
            {rule("GET", "/manifests/1", {{"type", "status"}, {"status", 500}}),
             rule("GET", "/blobs/",
                  {{"type", "status"}, {"status", 429}, {"headers", {{"Retry-After", "1"}}}})}));
    registry::RegistryClient client(proxy.options());
    auto fetched = client.get_manifest(proxy.ref("faults/app"), "1");
    CHECK(fetched.digest == oci::digest_of(f.image.manifest));
    CHECK(proxy.requests_to("GET", "/manifests/1").size() == 2);

    oci::BlobStore store(proxy.dir / "store");
    auto started = std::chrono::steady_clock::now();
    client.pull_blob(proxy.ref("faults/app"), f.image.config, store);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(950));
    auto gets = proxy.requests_to("GET", "/blobs/");
    REQUIRE(gets.size() == 2);
    CHECK(gets[0]["status"] == 429);
    CHECK(gets[1]["status"] == 200);

    // A registry that keeps failing: a clear error naming it, the operation and the status.
    FaultProxy broken(
        f.backend,
        json::array({rule("GET", "/manifests/", {{"type", "status"}, {"status", 503}}, -1)}));
    registry::RegistryOptions options = broken.options();
    options.attempts = 2;
    registry::RegistryClient failing(options);
    try {
        failing.get_manifest(broken.ref("faults/app"), "1");
        FAIL("expected a failure");
    } catch (const registry::RegistryError& e) {
        std::string m = e.what();
        CHECK(m.find("fetching the manifest of faults/app") != std::string::npos);
        CHECK(m.find(broken.host) != std::string::npos);
        CHECK(m.find("HTTP 503") != std::string::npos);
    }
}

TEST_CASE(
    "faults: corrupt bytes and a manifest that never ends are clear errors; nothing is stored",
    "[registry-live]") {
    Fixture f;
    FaultProxy proxy(
        f.backend,
        json::array({rule("GET", "/blobs/", {{"type", "corrupt"}}, -1),
                     rule("GET", "/manifests/", {{"type", "stall_after"}, {"bytes", 10}}, -1)}));
    registry::RegistryOptions options = proxy.options();
    options.limits.low_speed_seconds = 1;
    options.attempts = 2;
    registry::RegistryClient client(options);
    oci::BlobStore store(proxy.dir / "store");
    try {
        client.pull_blob(proxy.ref("faults/app"), f.layer(), store);
        FAIL("expected a digest mismatch");
    } catch (const registry::RegistryError& e) {
        CHECK(std::string(e.what()).find("does not match its digest") != std::string::npos);
    }
    CHECK_FALSE(store.has(f.layer().digest));
    CHECK(leftover_temporaries(store) == 0);

    auto started = std::chrono::steady_clock::now();
    try {
        client.get_manifest(proxy.ref("faults/app"), "1");
        FAIL("expected a stall");
    } catch (const registry::RegistryError& e) {
        CHECK(std::string(e.what()).find("stalled") != std::string::npos);
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
}

TEST_CASE("faults: a failed upload chunk resumes from the registry's offset", "[registry-live]") {
    Fixture f;
    // The first and the third chunk are refused (500, 502): each time the client asks the registry
    // where the upload stands (nothing, then 1 MiB) and goes on from exactly there.
    FaultProxy proxy(
        f.backend,
        json::array(
            {rule("PATCH", "/blobs/uploads/", {{"type", "status"}, {"status", 500}}),
             rule("PATCH", "/blobs/uploads/", {{"type", "status"}, {"status", 502}}, 1, 2)}));
    registry::RegistryOptions options = proxy.options();
    options.chunk_size = 512 * 1024;  // the 2 MiB layer in five chunks
    registry::RegistryClient client(options);
    auto ref = proxy.ref("faults/pushed:1");
    CHECK(client.push_blob(ref, f.layer(), f.source) == registry::PushOutcome::uploaded);
    auto patches = proxy.requests_to("PATCH", "/blobs/uploads/");
    CHECK(patches.size() == 7);  // five chunks, two of them twice
    CHECK(patches[0]["status"] == 500);
    CHECK(patches[3]["status"] == 502);
    CHECK(proxy.requests_to("GET", "/blobs/uploads/").size() == 2);  // where does the upload stand?
    oci::BlobStore back(proxy.dir / "back");
    registry::RegistryClient reader(f.backend.client_options());
    reader.pull_blob(f.backend.ref("faults/pushed"), f.layer(), back);
    CHECK(read_file(back.path(f.layer().digest)) == read_file(f.source.path(f.layer().digest)));
}

TEST_CASE("faults: two processes pulling one image into one cache download each blob once",
          "[registry-live]") {
    Fixture f;
    FaultProxy proxy(f.backend, json::array());
    fs::path cache = proxy.dir / "cache";
    std::string pull = std::string(ENVBUILDER_BINARY) + " pull " + proxy.host +
                       "/faults/app:1 --insecure-registry " + proxy.host + " --cache-dir " +
                       cache.string();
    std::string a_out, b_out;
    int a_status = -1, b_status = -1;
    std::thread a([&] { a_out = run(pull, &a_status); });
    std::thread b([&] { b_out = run(pull, &b_status); });
    a.join();
    b.join();
    INFO(a_out << "\n---\n" << b_out);
    CHECK(a_status == 0);
    CHECK(b_status == 0);
    CHECK(proxy.requests_to("GET", "/blobs/" + f.layer().digest.str()).size() == 1);
    CHECK((a_out + b_out).find("from cache") != std::string::npos);
}

TEST_CASE("faults: cancelling stops a stalled transfer at once, with no fallback",
          "[registry-live]") {
    Fixture f;
    FaultProxy proxy(
        f.backend,
        json::array({rule("GET", "/blobs/", {{"type", "stall_after"}, {"bytes", 1000}}, -1)}));
    registry::RegistryOptions options = proxy.options();
    options.cancel = std::make_shared<std::atomic<bool>>(false);
    registry::RegistryClient client(options);
    oci::BlobStore store(proxy.dir / "store");
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        *options.cancel = true;
    });
    auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(client.pull_blob(proxy.ref("faults/app"), f.layer(), store),
                    registry::Cancelled);
    auto took = std::chrono::steady_clock::now() - started;
    canceller.join();
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(leftover_temporaries(store) == 0);
}

TEST_CASE(
    "faults: a pull killed mid-blob leaves no blob; the next pull clears its leftovers and "
    "succeeds",
    "[registry-live]") {
    Fixture f;
    FaultProxy proxy(f.backend, json::array({rule("GET", "/blobs/" + f.layer().digest.str(),
                                                  {{"type", "stall_after"}, {"bytes", 100000}})}));
    fs::path cache = proxy.dir / "cache";
    std::string pull = std::string(ENVBUILDER_BINARY) + " pull " + proxy.host +
                       "/faults/app:1 --insecure-registry " + proxy.host + " --cache-dir " +
                       cache.string();
    // Kill the pull while the layer is stalled half-way.
    ChildProcess killed({"bash", "-c", "exec " + pull}, proxy.dir / "killed.out");
    oci::BlobStore store(cache);
    for (int i = 0; i < 200 && leftover_temporaries(store) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    kill(killed.pid, SIGKILL);
    killed.stop();
    CHECK(leftover_temporaries(store) >= 1);
    CHECK_FALSE(store.has(f.layer().digest));

    int status;
    std::string out = run(pull, &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("removed 1 partial download") != std::string::npos);
    CHECK(leftover_temporaries(store) == 0);
    f.check_layer_in(store);
}

TEST_CASE("faults: a Retry-After beyond the cap waits the cap and says so", "[registry-live]") {
    Fixture f;
    FaultProxy proxy(
        f.backend,
        json::array({rule("GET", "/blobs/",
                          {{"type", "status"},
                           {"status", 429},
                           {"headers", {{"Retry-After", "99999999999"}}}}),
                     rule("GET", "/blobs/",
                          {{"type", "status"},
                           {"status", 503},
                           {"headers", {{"Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT"}}}})}));
    registry::RegistryOptions options = proxy.options();
    options.max_retry_wait = std::chrono::seconds(1);
    std::vector<std::string> warnings;
    options.on_warning = [&](const std::string& w) { warnings.push_back(w); };
    registry::RegistryClient client(options);
    oci::BlobStore store(proxy.dir / "store");
    auto started = std::chrono::steady_clock::now();
    client.pull_blob(proxy.ref("faults/app"), f.image.config, store);
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(took >= std::chrono::milliseconds(1900));
    CHECK(took < std::chrono::seconds(10));
    CHECK(store.has(f.image.config.digest));
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].find("99999999999") != std::string::npos);
    CHECK(warnings[0].find("cap of 1 s") != std::string::npos);
    CHECK(warnings[1].find("Fri, 01 Jan 2100") != std::string::npos);
    CHECK(proxy.requests_to("GET", "/blobs/").size() == 3);
}

TEST_CASE("faults: a trickling blob fails at the low-speed limit, a slow one at the deadline",
          "[registry-live]") {
    Fixture f;
    const std::string blob_path = "/blobs/" + f.layer().digest.str();
    // Pulls the layer trickling at `rate` under `limits`, once: the error, which must come within
    // `at_most`, leaving nothing in the store.
    auto failure = [&](int rate, const registry::TransferLimits& limits,
                       std::chrono::seconds at_most) {
        FaultProxy proxy(
            f.backend, json::array({rule("GET", blob_path,
                                         {{"type", "trickle"}, {"bytes_per_second", rate}}, -1)}));
        registry::RegistryOptions options = proxy.options();
        options.limits = limits;
        options.attempts = 1;
        registry::RegistryClient client(options);
        oci::BlobStore store(proxy.dir / "store");
        auto started = std::chrono::steady_clock::now();
        std::string message;
        try {
            client.pull_blob(proxy.ref("faults/app"), f.layer(), store);
            FAIL("the slow transfer must fail");
        } catch (const registry::RegistryError& e) {
            message = e.what();
        }
        CHECK(std::chrono::steady_clock::now() - started < at_most);
        CHECK_FALSE(store.has(f.layer().digest));
        CHECK(leftover_temporaries(store) == 0);
        CHECK(message.find(f.layer().digest.str()) != std::string::npos);
        return message;
    };
    SECTION("64 bytes/s is under a limit of 1024 bytes/s over 2 s") {
        registry::TransferLimits limits;
        limits.low_speed_bytes = 1024;
        limits.low_speed_seconds = 2;
        std::string m = failure(64, limits, std::chrono::seconds(8));
        CHECK(m.find("less than 1024 bytes/s for 2 s") != std::string::npos);
        CHECK(m.find("--low-speed-limit 1024/2") != std::string::npos);
    }
    SECTION("fast enough for the limit, too slow for a 2 s deadline") {
        registry::TransferLimits limits;
        limits.deadline_seconds = 2;
        // 2 MiB at 256 KiB/s would take 8 s.
        std::string m = failure(256 * 1024, limits, std::chrono::seconds(6));
        CHECK(m.find("did not finish within 2 s") != std::string::npos);
    }
}

TEST_CASE("faults: a Content-Length larger than the whole body still pulls the verified blob",
          "[registry-live]") {
    Fixture f;
    const std::string blob_path = "/blobs/" + f.layer().digest.str();
    // Every byte arrived: no Range request (answered 416), and the blob is stored.
    FaultProxy proxy(
        f.backend,
        json::array({rule("GET", blob_path, {{"type", "inflate_length"}, {"extra", 100}}, -1)}));
    registry::RegistryClient client(proxy.options());
    oci::BlobStore store(proxy.dir / "store");
    CHECK(client.pull_blob(proxy.ref("faults/app"), f.layer(), store) == proxy.host);
    f.check_layer_in(store);
    auto gets = proxy.requests_to("GET", blob_path);
    REQUIRE(gets.size() == 1);
    CHECK(gets[0]["range"].is_null());
}

TEST_CASE("faults: a redirect to another host never carries the registry's credentials",
          "[registry-live]") {
    RegistrySetup setup = RegistrySetup::plain_http();
    setup.auth = RegistrySetup::Auth::htpasswd;
    LiveRegistry backend(setup);
    oci::BlobStore source(backend.dir / "source");
    SampleImage image = sample_image(backend.dir, source, 1);
    {
        registry::RegistryClient client(backend.client_options());
        push_image(client, backend.ref("faults/app:1"), "1", source, image);
    }
    const std::string blob_path = "/v2/faults/app/blobs/" + image.layers[0].digest.str();
    // Another host, in front of the same registry; it logs whether credentials came along.
    FaultProxy elsewhere(backend, json::array(), "127.0.0.2");
    // The registry's authorized GET of the layer is redirected there (the unauthorized first try
    // that draws the 401 challenge passes).
    FaultProxy front(
        backend,
        json::array({rule("GET", blob_path,
                          {{"type", "status"},
                           {"status", 307},
                           {"headers", {{"Location", "http://" + elsewhere.host + blob_path}}}},
                          1, 1)}));
    std::ofstream(front.dir / "config.json")
        << json{{"auths", {{front.host, {{"username", kTestUser}, {"password", kTestPassword}}}}}}
               .dump();
    registry::RegistryOptions options = front.options();
    options.credentials = registry::CredentialStore::from_file(front.dir / "config.json");
    options.attempts = 1;
    registry::RegistryClient client(options);
    oci::BlobStore store(front.dir / "store");
    CHECK_THROWS(client.pull_blob(front.ref("faults/app"), image.layers[0], store));
    auto authorized = front.requests_to("GET", blob_path);
    REQUIRE(authorized.size() == 2);
    CHECK(authorized[1]["authorization"] == true);
    CHECK(authorized[1]["status"] == 307);
    auto redirected = elsewhere.requests_to("GET", blob_path);
    REQUIRE_FALSE(redirected.empty());
    for (const auto& r : redirected) CHECK(r["authorization"] == false);
}
