#pragma once
// Test support for the real-registry tests: Debian's docker-registry (Distribution) started on a
// 127.0.0.1 port of its own by tests/support/registry_fixture.sh, with TLS (a CA the fixture makes
// with OpenSSL), htpasswd Basic auth or token auth, or as a pull-through cache; helper processes
// (our Node fault proxy and token issuer); and small images built with tar and gzip.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "files.h"
#include "oci/layout.h"
#include "oci/manifest.h"
#include "oci/stored_image.h"
#include "registry/client.h"
#include "registry/image_push.h"

extern char** environ;

namespace envbuilder::testing {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string run(const std::string& cmd, int* status = nullptr) {
    FILE* p = popen(("(" + cmd + ") 2>&1").c_str(), "r");
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int s = pclose(p);
    if (status) *status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    return out;
}

// Whether `tool` is on PATH (a test that needs it reports a skip when not).
inline bool have_tool(const std::string& tool) {
    int status;
    run("command -v " + tool + " >/dev/null", &status);
    return status == 0;
}

inline int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

// Whether something listens on `address` (an IPv4 loopback address: 127.0.0.2 plays another host).
inline bool port_open(int port, const std::string& address = "127.0.0.1") {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

inline fs::path fresh_temp_dir(const std::string& name) {
    static int counter = 0;
    fs::path dir = fs::temp_directory_path() / ("eb-" + name + "-" + std::to_string(getpid()) +
                                                "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// The lines of a JSON-lines log (our helpers' request logs), parsed.
inline std::vector<json> read_json_lines(const fs::path& file) {
    std::vector<json> out;
    std::istringstream lines(read_file(file));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

// The config of the (first) image of an OCI layout, exactly as stored.
inline json layout_blob(const fs::path& layout, const std::string& digest) {
    return json::parse(read_file(layout / "blobs" / "sha256" / digest.substr(7)));
}
// The manifest of the layout's first image.
inline json layout_manifest(const fs::path& layout) {
    json index = json::parse(read_file(layout / "index.json"));
    return layout_blob(layout, index["manifests"][0]["digest"]);
}
inline json layout_config(const fs::path& layout) {
    return layout_blob(layout, layout_manifest(layout)["config"]["digest"]);
}

// A child process for the life of the object, its output in `log`; killed on destruction.
struct ChildProcess {
    pid_t pid = -1;
    ChildProcess(std::vector<std::string> argv, const fs::path& log) {
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(spawned == 0);
    }
    void stop() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
};

// Waits for a helper to write the port it listens on.
inline int wait_for_port_file(const fs::path& file, const std::string& address = "127.0.0.1") {
    for (int i = 0; i < 200; ++i) {
        std::string text = read_file(file);
        if (!text.empty() && text.back() == '\n') text.pop_back();
        if (!text.empty()) {
            int port = std::stoi(text);
            if (port_open(port, address)) return port;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("a helper did not start: " + file.string());
    return 0;
}

// tests/support/registry_fixture.sh: the one registry fixture the C++, shell and JS tests and the
// benchmarks share.
inline std::string registry_fixture() {
    return "bash " + std::string(ENVBUILDER_SOURCE_DIR) + "/tests/support/registry_fixture.sh";
}

// Makes a CA in `dir` (ca.crt, ca.key) and a server certificate for 127.0.0.1 (server.crt/.key).
inline void make_certificates(const fs::path& dir) {
    int status;
    std::string out = run(registry_fixture() + " certs '" + dir.string() + "'", &status);
    INFO(out);
    REQUIRE(status == 0);
}

struct RegistrySetup {
    enum class Auth { none, htpasswd, token };
    bool tls = true;
    Auth auth = Auth::htpasswd;
    // Token auth: where the issuer is, and the certificate whose key signs its tokens.
    std::string token_realm;
    fs::path token_cert;
    // A pull-through cache of this registry (proxy.remoteurl).
    std::string proxy_remote;
    fs::path trusted_ca;  // a CA the registry itself trusts (for a TLS remote)

    static RegistrySetup plain_http() {
        RegistrySetup s;
        s.tls = false;
        s.auth = Auth::none;
        return s;
    }
    static RegistrySetup anonymous_tls() {
        RegistrySetup s;
        s.auth = Auth::none;
        return s;
    }
    // A pull-through cache (plain HTTP, anonymous) of `remote`, trusting `ca` for it.
    static RegistrySetup pull_through_cache(const std::string& remote, const fs::path& ca) {
        RegistrySetup s = plain_http();
        s.proxy_remote = remote;
        s.trusted_ca = ca;
        return s;
    }
    // The fixture's options for this setup.
    std::string fixture_options() const {
        std::string o = tls ? "" : " --plain";
        o += auth == Auth::none       ? " --auth none"
             : auth == Auth::htpasswd ? " --auth htpasswd"
                                      : " --auth token --token-realm '" + token_realm +
                                            "' --token-cert '" + token_cert.string() + "'";
        if (!proxy_remote.empty()) o += " --proxy-remote '" + proxy_remote + "'";
        if (!trusted_ca.empty()) o += " --trust-ca '" + trusted_ca.string() + "'";
        return o;
    }
};

inline constexpr const char* kTestUser = "tester";
inline constexpr const char* kTestPassword = "s3cret-pw";

// A registry running for the life of the object (registry_fixture.sh). Its CA is at
// certs.d/<host>/ca.crt, the way Docker (and ENVBUILDER_CERTS_DIR) looks for it.
struct LiveRegistry {
    fs::path dir;
    int port = 0;
    std::string host;
    RegistrySetup setup;
    bool running = false;

    explicit LiveRegistry(RegistrySetup s = {}) : setup(std::move(s)) {
        dir = fresh_temp_dir("registry");
        int status;
        std::string out =
            run(registry_fixture() + " start '" + dir.string() + "'" + setup.fixture_options() +
                    " --user " + kTestUser + " --password '" + kTestPassword + "'",
                &status);
        INFO(out);
        REQUIRE(status == 0);
        running = true;
        json facts = json::parse(read_file(dir / "registry.json"));
        port = facts["port"];
        host = facts["host"];
    }
    ~LiveRegistry() {
        stop();
        fs::remove_all(dir);
    }
    LiveRegistry(const LiveRegistry&) = delete;
    LiveRegistry& operator=(const LiveRegistry&) = delete;
    // Stops the registry; its files stay until the object goes.
    void stop() {
        if (running) run(registry_fixture() + " stop '" + dir.string() + "' --keep");
        running = false;
    }
    std::string url() const { return (setup.tls ? "https://" : "http://") + host; }
    oci::Reference ref(const std::string& repository_and_tag) const {
        return std::get<oci::Reference>(oci::parse_reference(host + "/" + repository_and_tag));
    }
    // A Docker config.json with this registry's test credentials (the fixture writes it).
    fs::path docker_config() const { return dir / "docker" / "config.json"; }
    registry::RegistryOptions client_options() const {
        registry::RegistryOptions options;
        if (setup.auth != RegistrySetup::Auth::none)
            options.credentials = registry::CredentialStore::from_file(docker_config());
        if (!setup.tls) options.insecure_registries.insert(host);
        return options;
    }
    // skopeo's flags for this registry: its CA and credentials (or no TLS).
    std::string skopeo_flags(const std::string& side) const {
        std::string f = setup.tls ? " --" + side + "cert-dir " + (dir / "certs.d" / host).string()
                                  : " --" + side + "tls-verify=false";
        if (setup.auth != RegistrySetup::Auth::none)
            f += " --" + side + "creds " + kTestUser + ":" + kTestPassword;
        return f;
    }
};

// An image in `store` with `layers` real tar.gz layers of `layer_bytes` random bytes each (and a
// small text file); returns the manifest body.
struct SampleImage {
    std::string manifest;
    oci::Descriptor config;
    std::vector<oci::Descriptor> layers;
    std::vector<oci::Descriptor> blobs() const {
        std::vector<oci::Descriptor> all{config};
        all.insert(all.end(), layers.begin(), layers.end());
        return all;
    }
    // The image as the engine's outputs take it.
    oci::StoredImage stored() const {
        return {manifest,
                {oci::kMediaTypeImageManifest,
                 oci::digest_of(manifest),
                 manifest.size(),
                 {},
                 std::nullopt},
                config,
                layers};
    }
};

inline SampleImage sample_image(const fs::path& dir, oci::BlobStore& store, int layers = 1,
                                size_t layer_bytes = 0) {
    SampleImage image;
    json diff_ids = json::array();
    for (int i = 0; i < layers; ++i) {
        fs::path src = dir / ("rootfs" + std::to_string(i));
        fs::create_directories(src);
        std::ofstream(src / "hello.txt") << "hello from envbuilder, layer " << i << "\n";
        if (layer_bytes) {
            std::mt19937_64 rng(static_cast<uint64_t>(i) * 7919 + layer_bytes);
            std::string noise(layer_bytes, '\0');
            for (auto& c : noise) c = static_cast<char>(rng());
            std::ofstream(src / "noise.bin", std::ios::binary) << noise;
        }
        fs::path tar = dir / ("layer" + std::to_string(i) + ".tar");
        int status;
        run("tar -C " + src.string() + " -cf " + tar.string() + " . && gzip -n -f -k " +
                tar.string(),
            &status);
        REQUIRE(status == 0);
        diff_ids.push_back(oci::digest_of(read_file(tar)).str());
        std::string bytes = read_file(tar.string() + ".gz");
        image.layers.push_back(
            {oci::kMediaTypeLayerGzip, store.put_bytes(bytes), bytes.size(), {}, std::nullopt});
    }
    std::string config = json{{"architecture", "amd64"},
                              {"os", "linux"},
                              {"config", {{"Cmd", {"/hello.txt"}}}},
                              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
                             .dump();
    image.config = {
        oci::kMediaTypeImageConfig, store.put_bytes(config), config.size(), {}, std::nullopt};
    json layer_json = json::array();
    for (const auto& l : image.layers) layer_json.push_back(oci::to_json(l));
    image.manifest = json{
        {"schemaVersion", 2},
        {"mediaType", oci::kMediaTypeImageManifest},
        {"config", oci::to_json(image.config)},
        {"layers",
         layer_json}}.dump();
    return image;
}

// Pushes the sample under `tag` of ref's repository, the way every push goes (the engine's).
inline void push_image(registry::RegistryClient& client, const oci::Reference& ref,
                       const std::string& tag, const oci::BlobStore& store,
                       const SampleImage& image) {
    oci::Reference tagged = ref;
    tagged.tag = tag;
    tagged.digest.clear();
    registry::push_image(client, tagged, image.stored(), store);
}

// Files left in a store's temporary ingest directory (must be none after any failure).
inline size_t leftover_temporaries(const oci::BlobStore& store) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(store.root() / "ingest", ec);
         it != fs::directory_iterator(); ++it)
        ++n;
    return n;
}

}  // namespace envbuilder::testing
