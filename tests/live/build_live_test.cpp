// The embedded executor end to end, judged by tools we did not write: a base image made locally
// from Debian's busybox-static (tests/support/base_images.sh) is pushed to a real registry,
// `envbuilder build` builds a devcontainer workspace on it and pushes the result, and skopeo,
// umoci and crun (tests/support/run_image.sh) read and run what we pushed.
#include <sys/stat.h>

#include "build_test_support.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

const std::string kSource = ENVBUILDER_SOURCE_DIR;
const std::string kBinary = ENVBUILDER_BINARY;

// The environment that gives envbuilder and skopeo the registry's CA and credentials.
std::string env_for(const LiveRegistry& reg) {
    return "DOCKER_CONFIG=" + reg.docker_config().parent_path().string() +
           " ENVBUILDER_CERTS_DIR=" + (reg.dir / "certs.d").string();
}

void push_base(const LiveRegistry& reg, const std::string& repository) {
    int status;
    std::string out =
        run(env_for(reg) + " " + kBinary + " push " + busybox_layout().string() + " " + reg.host +
                "/" + repository + " --cache-dir " + (reg.dir / "push-cache").string(),
            &status);
    INFO(out);
    REQUIRE(status == 0);
}

std::string run_image(const LiveRegistry& reg, const std::string& image,
                      const std::string& command = "") {
    int status;
    std::string out = run("REGISTRY_CERT_DIR=" + (reg.dir / "certs.d" / reg.host).string() +
                              " REGISTRY_CREDS=" + kTestUser + ":" + kTestPassword + " bash " +
                              kSource + "/tests/support/run_image.sh docker://" + reg.host + "/" +
                              image + (command.empty() ? "" : " -- " + command),
                          &status);
    INFO(out);
    CHECK(status == 0);
    return out;
}

// `envbuilder build --workspace WS OPTIONS`, its output (stdout and stderr).
std::string build_workspace(const fs::path& ws, const std::string& options, int* status) {
    return run(std::string(kBinary) + " build --workspace " + ws.string() + " " + options, status);
}

// Unpacks LAYOUT:latest with umoci (not ours) into BUNDLE, then runs `command` in its rootfs.
std::string in_unpacked(const fs::path& layout, const fs::path& bundle, const std::string& command,
                        int* status) {
    return run("umoci unpack --image " + layout.string() + ":latest " + bundle.string() +
                   " >/dev/null && cd " + (bundle / "rootfs").string() + " && " + command,
               status);
}

// A devcontainer workspace whose Dockerfile uses most instructions.
fs::path make_workspace(const fs::path& dir, const std::string& base) {
    write(dir / ".devcontainer/devcontainer.json", R"({
  // JSONC, as editors write it
  "name": "demo",
  "build": {"dockerfile": "Dockerfile", "context": "..", "args": {"GREETING": "hi"}}
})");
    write(dir / ".devcontainer/Dockerfile", "ARG BASE=" + base + R"DF(
FROM ${BASE} AS base
ARG GREETING=hello
ENV APP_HOME=/app
WORKDIR $APP_HOME
COPY --chown=app:app app/ ./
RUN echo "$GREETING from $(id -un)" > greeting.txt && chmod 604 greeting.txt && rm -f /etc/motd-to-remove
USER app
RUN echo "user $(id -u) in $(pwd)" > /tmp/whoami
LABEL org.example.name="demo" org.example.greeting=$GREETING
EXPOSE 8080 9090/udp
VOLUME /data
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --retries=2 CMD cat /app/greeting.txt
CMD ["sh", "-c", "cat /app/greeting.txt /app/hello.txt /tmp/whoami"]
)DF");
    write(dir / ".dockerignore", "app/secret.txt\n");
    write(dir / "app/hello.txt", "hello from the context\n");
    write(dir / "app/secret.txt", "do not ship\n");
    write(dir / "app/sub/nested.txt", "nested\n");
    return dir;
}

}  // namespace

TEST_CASE(
    "build: a devcontainer workspace on a busybox base, pushed, inspected by skopeo and run by "
    "crun",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    LiveRegistry reg;
    push_base(reg, "base/busybox:latest");
    fs::path ws = make_workspace(fresh_temp_dir("workspace"), reg.host + "/base/busybox:latest");
    fs::path cache = reg.dir / "cache";
    std::string build = env_for(reg) + " " + kBinary + " build --workspace " + ws.string() +
                        " --cache-dir " + cache.string() + " --reproducible --image " + reg.host +
                        "/team/dev:1 --image " + reg.host + "/team/dev:latest --digest-file " +
                        (reg.dir / "digest").string() + " --oci-layout " +
                        (reg.dir / "layout").string();
    int status;
    std::string out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("[1/") != std::string::npos);
    std::string digest = read_file(reg.dir / "digest");
    digest.pop_back();

    // skopeo sees both tags at the digest we reported.
    std::string inspected =
        run("skopeo inspect" + reg.skopeo_flags("") + " docker://" + reg.host + "/team/dev:latest",
            &status);
    REQUIRE(status == 0);
    CHECK(json::parse(inspected)["Digest"] == digest);

    json config = layout_config(reg.dir / "layout");
    const json& c = config["config"];
    CHECK(c["User"] == "app");
    CHECK(c["WorkingDir"] == "/app");
    CHECK(std::find(c["Env"].begin(), c["Env"].end(), "APP_HOME=/app") != c["Env"].end());
    for (const auto& e : c["Env"])
        CHECK(e.get<std::string>().rfind("GREETING=", 0) != 0);  // ARGs stay out
    CHECK(c["Labels"]["org.example.greeting"] == "hi");
    CHECK(c["ExposedPorts"].contains("8080/tcp"));
    CHECK(c["ExposedPorts"].contains("9090/udp"));
    CHECK(c["Volumes"].contains("/data"));
    CHECK(c["StopSignal"] == "SIGTERM");
    CHECK(c["Healthcheck"]["Test"] == json({"CMD-SHELL", "cat /app/greeting.txt"}));
    CHECK(c["Healthcheck"]["Interval"] == 30000000000LL);
    CHECK(c["Cmd"] == json({"sh", "-c", "cat /app/greeting.txt /app/hello.txt /tmp/whoami"}));
    // One history entry per instruction after the base's, layers only where files changed.
    size_t layered = 0;
    for (const auto& h : config["history"])
        if (!h.value("empty_layer", false)) ++layered;
    CHECK(layered == config["rootfs"]["diff_ids"].size());
    CHECK(config["history"].back()["created_by"] ==
          "CMD [\"sh\",\"-c\",\"cat /app/greeting.txt /app/hello.txt /tmp/whoami\"]");

    // crun runs it, and it prints what the Dockerfile says.
    std::string ran = run_image(reg, "team/dev:1");
    CHECK(ran.find("hi from root") != std::string::npos);
    CHECK(ran.find("hello from the context") != std::string::npos);
    CHECK(ran.find("user 1000 in /app") != std::string::npos);
    std::string listing = run_image(reg, "team/dev:1", "ls -ln /app /app/sub");
    CHECK(listing.find("hello.txt") != std::string::npos);
    CHECK(listing.find("nested.txt") != std::string::npos);
    CHECK(listing.find("secret.txt") == std::string::npos);  // .dockerignore'd
    CHECK(listing.find("-rw----r--    1 0        0") !=
          std::string::npos);  // greeting.txt: root, 604

    // Warm rebuild: nothing runs, and the image is byte-identical.
    out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("  | ") == std::string::npos);  // no RUN printed anything
    CHECK(out.find("CACHED") != std::string::npos);
    std::string again = read_file(reg.dir / "digest");
    again.pop_back();
    CHECK(again == digest);

    // One context file changes: its COPY and the steps after it run again.
    write(ws / "app/hello.txt", "hello again\n");
    out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("[5/") != std::string::npos);
    std::string changed = read_file(reg.dir / "digest");
    CHECK(changed != digest + "\n");
    CHECK(run_image(reg, "team/dev:1").find("hello again") != std::string::npos);

    // skopeo reads the OCI layout we wrote, too.
    run("skopeo inspect oci:" + (reg.dir / "layout").string() + ":1", &status);
    CHECK(status == 0);
    fs::remove_all(ws);
}

TEST_CASE("build: a failing RUN names its line, exit status and last output; nothing is pushed",
          "[build-live]") {
    SKIP_UNLESS_ROOT();
    LiveRegistry reg;
    push_base(reg, "base/busybox:latest");
    fs::path ws = fresh_temp_dir("failing");
    write(ws / "Dockerfile", "FROM " + reg.host +
                                 "/base/busybox:latest\nRUN echo fine\nRUN echo about to fail && "
                                 "\\\n    exit 7\nRUN echo never\n");
    int status;
    std::string out =
        run(env_for(reg) + " " + kBinary + " build --workspace " + ws.string() + " --cache-dir " +
                (reg.dir / "cache").string() + " --image " + reg.host + "/team/broken:1",
            &status);
    INFO(out);
    CHECK(status == 1);
    CHECK(out.find("Dockerfile:3: RUN failed with exit code 7") != std::string::npos);
    CHECK(out.find("about to fail") != std::string::npos);
    CHECK(out.find("never") == std::string::npos);
    run("skopeo inspect" + reg.skopeo_flags("") + " docker://" + reg.host + "/team/broken:1",
        &status);
    CHECK(status != 0);

    // A COPY source that is a symbolic link out of the context is refused.
    write(ws / "Dockerfile", "FROM " + reg.host + "/base/busybox:latest\nCOPY shadow /stolen\n");
    fs::create_symlink("/etc/shadow", ws / "shadow");
    out = run(env_for(reg) + " " + kBinary + " build --workspace " + ws.string() +
                  " --no-push --cache-dir " + (reg.dir / "cache").string(),
              &status);
    INFO(out);
    CHECK(status == 1);
    CHECK(out.find("Dockerfile:2: COPY: COPY source 'shadow' is a symbolic link to '/etc/shadow', "
                   "which is outside the build context") != std::string::npos);
    fs::remove_all(ws);
}

TEST_CASE(
    "build: the seed's flow: --base-image through a mirror while the origin is down, pushed "
    "elsewhere, run",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    LiveRegistry mirror(RegistrySetup::plain_http());
    LiveRegistry destination;
    // The origin: a registry that is down. Its base image exists only on the mirror.
    const std::string origin = "127.0.0.1:" + std::to_string(free_port());
    int status;
    std::string out = run(std::string(kBinary) + " push " + busybox_layout().string() + " " +
                              mirror.host + "/base/busybox:stable --insecure-registry " +
                              mirror.host + " --cache-dir " + (mirror.dir / "cache").string(),
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    fs::path ws = fresh_temp_dir("seed");
    write(ws / ".devcontainer/devcontainer.json", R"({"build": {"dockerfile": "Dockerfile"}})");
    write(ws / ".devcontainer/Dockerfile",
          "FROM mcr.example.invalid/devcontainers/base:bookworm\nRUN echo built-by-envbuilder > "
          "/built\nCMD [\"cat\", \"/built\"]\n");
    out = run(env_for(destination) + " " + kBinary + " build --workspace " + ws.string() +
                  " --base-image " + origin + "/base/busybox:stable --registry-mirror " + origin +
                  "=http://" + mirror.host + " --insecure-registry " + mirror.host + " --image " +
                  destination.host + "/seed/result:1 --cache-dir " +
                  (destination.dir / "cache").string(),
              &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("line 1: FROM mcr.example.invalid/devcontainers/base:bookworm replaced by " +
                   origin + "/base/busybox:stable") != std::string::npos);
    CHECK(out.find("from http://" + mirror.host) != std::string::npos);
    CHECK(read_file(ws / ".devcontainer/Dockerfile").find("mcr.example.invalid") !=
          std::string::npos);  // untouched
    CHECK(run_image(destination, "seed/result:1").find("built-by-envbuilder") != std::string::npos);
    fs::remove_all(ws);
}

TEST_CASE("build: FROM an OCI layout on disk, and an image devcontainer passed through unchanged",
          "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("layout-base");
    const std::string base = "oci:" + busybox_layout().string() + ":latest";
    write(ws / "Dockerfile", "FROM " + base + "\nRUN echo from-layout > /marker\n");
    int status;
    std::string out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                              " --no-push --oci-layout " + (ws / "out").string() + " --cache-dir " +
                              (ws / "cache").string(),
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("from oci-layout " + busybox_layout().string()) != std::string::npos);
    json config = layout_config(ws / "out");
    CHECK(config["rootfs"]["diff_ids"].size() == 2);

    // The same image as a docker-archive: podman (not ours) loads it under the tag we gave.
    out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                  " --no-push --image example.com/team/app:7 --tar " + (ws / "image.tar").string() +
                  " --cache-dir " + (ws / "cache").string(),
              &status);
    INFO(out);
    REQUIRE(status == 0);
    const std::string podman = "podman --root " + (ws / "podman").string() + " --runroot " +
                               (ws / "podman-run").string() + " --storage-driver vfs";
    std::string loaded = run(podman + " load -i " + (ws / "image.tar").string() + " && " + podman +
                                 " image inspect example.com/team/app:7 --format '{{.Config.Cmd}} "
                                 "{{len .RootFS.Layers}}'",
                             &status);
    INFO(loaded);
    CHECK(status == 0);
    CHECK(loaded.find("Loaded image: example.com/team/app:7") != std::string::npos);
    CHECK(loaded.find(" 2\n") != std::string::npos);

    // `"image"` configs: the image is the result, byte for byte.
    fs::remove(ws / "Dockerfile");
    write(ws / ".devcontainer.json", "{\"image\": \"" + base + "\"}");
    out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                  " --no-push --digest-file " + (ws / "digest").string() + " --cache-dir " +
                  (ws / "cache").string(),
              &status);
    INFO(out);
    REQUIRE(status == 0);
    json index = json::parse(read_file(busybox_layout() / "index.json"));
    CHECK(read_file(ws / "digest") == index["manifests"][0]["digest"].get<std::string>() + "\n");
    fs::remove_all(ws);
}

TEST_CASE("build: RUN --mount cache, bind, tmpfs and secret; secrets never reach the image",
          "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("mounts");
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() + ":latest\n" + R"DF(
RUN --mount=type=cache,target=/var/cache/app,id=app-cache \
    echo run >> /var/cache/app/runs && wc -l < /var/cache/app/runs > /cache-runs
RUN --mount=type=bind,source=data,target=/mnt/data \
    cat /mnt/data/input.txt > /from-bind && ! touch /mnt/data/readonly-check
RUN --mount=type=tmpfs,target=/scratch echo temp > /scratch/t && test -f /scratch/t
RUN --mount=type=secret,id=token --mount=type=secret,id=token,env=TOKEN \
    test "$(cat /run/secrets/token | wc -c)" = 6 && test "$TOKEN" = "$(cat /run/secrets/token)" && echo secret-seen > /secret-ok
)DF");
    write(ws / "data/input.txt", "bound input\n");
    write(ws / "token", "s3cr3t");
    const std::string build = std::string(kBinary) + " build --workspace " + ws.string() +
                              " --no-push --oci-layout " + (ws / "out").string() + " --cache-dir " +
                              (ws / "cache").string() +
                              " --secret id=token,src=" + (ws / "token").string();
    int status;
    std::string out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    // Nothing from the mounts is in a layer; the secret's content is nowhere in the image.
    std::string layers =
        run("for f in " + (ws / "out/blobs/sha256").string() +
            "/*; do (zcat $f 2>/dev/null || cat $f) | tar -tvf - 2>/dev/null; done");
    CHECK(layers.find("var/cache/app/runs") == std::string::npos);
    CHECK(layers.find("scratch/t") == std::string::npos);
    CHECK(layers.find("run/secrets") == std::string::npos);
    CHECK(layers.find("mnt/data/input.txt") == std::string::npos);
    CHECK(layers.find("secret-ok") != std::string::npos);
    CHECK(run("grep -rl s3cr3t " + (ws / "out").string() + " || true").empty());
    std::string listing =
        run("for f in " + (ws / "out/blobs/sha256").string() +
            "/*; do (zcat $f 2>/dev/null) | tar -xOf - cache-runs from-bind 2>/dev/null; done");
    CHECK(listing.find("bound input") != std::string::npos);

    // The cache directory outlives the step: a second run without the step cache sees two runs.
    out = run(build + " --no-cache", &status);
    REQUIRE(status == 0);
    listing = run("for f in " + (ws / "out/blobs/sha256").string() +
                  "/*; do (zcat $f 2>/dev/null) | tar -xOf - cache-runs 2>/dev/null; done");
    CHECK(listing.find("2") != std::string::npos);

    // A changed bind source reruns its step; a missing required secret is a clear error.
    write(ws / "data/input.txt", "changed input\n");
    out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("[3/5] done") != std::string::npos);
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                 ":latest\nRUN --mount=type=secret,id=missing,required true\n");
    out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                  " --no-push --cache-dir " + (ws / "cache").string(),
              &status);
    CHECK(status == 1);
    CHECK(out.find("secret 'missing' is required") != std::string::npos);
    fs::remove_all(ws);
}

TEST_CASE("build: rootless, in a user namespace, with and without a subordinate id range",
          "[build-live]") {
    SKIP_UNLESS_ROOT();  // root only to become another user and to add subuids
    fs::path dir = fresh_temp_dir("rootless");
    write(dir / "ws/Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\n" +
              "RUN id -u > /uid && touch /owned && chown 1000:1000 /owned\n");
    run("chown -R 65534:65534 " + dir.string());
    const std::string build =
        "setpriv --reuid 65534 --regid 65534 --clear-groups env HOME=" + dir.string() + " " +
        kBinary + " build --workspace " + (dir / "ws").string() + " --no-push --oci-layout " +
        (dir / "out").string() + " --cache-dir " + (dir / "cache").string();
    int status;
    // Without a range: the build runs as root of its namespace, but a chown elsewhere fails.
    std::string out = run(build, &status);
    INFO(out);
    CHECK(status == 1);
    CHECK(out.find("no /etc/subuid and /etc/subgid range for nobody") != std::string::npos);
    CHECK(out.find("RUN failed") != std::string::npos);
    {
        SubordinateIds ids("nobody");
        out = run(build, &status);
        INFO(out);
        REQUIRE(status == 0);
        // Rootless, stage roots are still overlayfs mounts (user.overlay.* attributes).
        CHECK(out.find("filesystem: overlayfs in a user namespace (userxattr)") !=
              std::string::npos);
        CHECK(fs::is_directory(dir / "cache/unpacked-userxattr"));
    }
    std::string listing =
        run("for f in " + (dir / "out/blobs/sha256").string() +
            "/*; do zcat $f 2>/dev/null | tar -tvf - --numeric-owner 2>/dev/null; done");
    INFO(listing);
    CHECK(listing.find("1000/1000") !=
          std::string::npos);  // /owned, written as uid 1000 in the layer
    fs::remove_all(dir);
}

TEST_CASE("build: ADD from a URL, verified by --checksum", "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("add-url");
    write(ws / "served/tool.txt", "downloaded content\n");
    const std::string sum = oci::digest_of("downloaded content\n").str();
    ChildProcess server(
        {"node", "-e",
         "const fs=require('fs');const s=require('http').createServer((q,r)=>{"
         "try{const b=fs.readFileSync('" +
             (ws / "served").string() +
             "'+q.url);"
             "r.writeHead(200,{'Last-Modified':'Tue, 03 Mar 2020 10:00:00 GMT'});r.end(b)}"
             "catch(e){r.writeHead(404);r.end()}});s.listen(0,'127.0.0.1',()=>"
             "fs.writeFileSync('" +
             (ws / "port").string() + "',s.address().port+'\\n'))"},
        ws / "server.log");
    const std::string url =
        "http://127.0.0.1:" + std::to_string(wait_for_port_file(ws / "port")) + "/tool.txt";
    write(ws / "Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\nADD --checksum=" + sum + " " + url +
              " /downloads/\nRUN test \"$(cat /downloads/tool.txt)\" = \"downloaded content\"\n");
    const std::string build = std::string(kBinary) + " build --workspace " + ws.string() +
                              " --no-push --oci-layout " + (ws / "out").string() + " --cache-dir " +
                              (ws / "cache").string();
    int status;
    std::string out = run(build, &status);
    INFO(out);
    REQUIRE(status == 0);
    std::string listing =
        run("for f in " + (ws / "out/blobs/sha256").string() +
            "/*; do zcat $f 2>/dev/null | tar -tvf - --numeric-owner 2>/dev/null; done");
    CHECK(listing.find("-rw------- 0/0              19 2020-03-03 10:00 downloads/tool.txt") !=
          std::string::npos);

    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                 ":latest\nADD --checksum=sha256:" + std::string(64, 'a') + " " +
                                 url + " /tool\n");
    out = run(build, &status);
    INFO(out);
    CHECK(status == 1);
    CHECK(out.find("Dockerfile:2: ADD: " + url + " does not match --checksum") !=
          std::string::npos);
    write(ws / "Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\nCOPY " + url + " /tool\n");
    out = run(build, &status);
    CHECK(out.find("COPY does not fetch URLs") != std::string::npos);
    fs::remove_all(ws);
}

TEST_CASE("build: killing the builder mid-RUN leaves none of the step's processes behind",
          "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("killed");
    write(ws / "Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\nRUN sleep 987 & sleep 986\n");
    ChildProcess builder({kBinary, "build", "--workspace", ws.string(), "--no-push", "--cache-dir",
                          (ws / "cache").string()},
                         ws / "build.log");
    for (int i = 0; i < 200 && run("pgrep -f 'sleep 98[67]' || true").empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE_FALSE(run("pgrep -f 'sleep 98[67]' || true").empty());
    kill(builder.pid, SIGKILL);
    builder.stop();
    std::string left;
    for (int i = 0; i < 40; ++i) {
        left = run("pgrep -f 'sleep 98[67]' || true");
        if (left.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(left.empty());
    fs::remove_all(ws);
}

TEST_CASE("build: on a debootstrap'd Debian base, RUN apt-get installs a package; crun runs it",
          "[build-live][debian]") {
    SKIP_UNLESS_ROOT();
    const fs::path debian = base_layout("debian");
    int status;
    std::string out;
    fs::path ws = fresh_temp_dir("debian");
    write(ws / "Dockerfile", "FROM oci:" + debian.string() + ":bookworm\n" + R"DF(
RUN apt-get update && apt-get install -y --no-install-recommends hello && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1234 dev && rm -rf /usr/share/doc/hello
USER dev
CMD ["sh", "-c", "hello && id -un && ls /usr/share/doc/hello 2>&1 || true"]
)DF");
    out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                  " --no-push --oci-layout " + (ws / "out").string() + " --cache-dir " +
                  (ws / "cache").string(),
              &status);
    INFO(out);
    REQUIRE(status == 0);
    std::string ran = run(
        "bash " + kSource + "/tests/support/run_image.sh oci:" + (ws / "out").string() + ":latest",
        &status);
    INFO(ran);
    CHECK(status == 0);
    CHECK(ran.find("Hello, world!") != std::string::npos);
    CHECK(ran.find("dev") != std::string::npos);
    CHECK(ran.find("No such file or directory") !=
          std::string::npos);  // whiteout of a base directory
    fs::remove_all(ws);
}

TEST_CASE("build: --compression zstd layers, read back by podman with their diff_ids verified",
          "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("zstd");
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                 ":latest\nRUN echo zstd > /z && seq 1 1000 > /numbers\n");
    int status;
    std::string out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                              " --no-push --compression zstd --oci-layout " +
                              (ws / "out").string() + " --cache-dir " + (ws / "cache").string(),
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    std::string raw = run("skopeo inspect --raw oci:" + (ws / "out").string() + ":latest", &status);
    CHECK(raw.find("application/vnd.oci.image.layer.v1.tar+zstd") != std::string::npos);
    const std::string podman = "podman --root " + (ws / "podman").string() + " --runroot " +
                               (ws / "podman-run").string() + " --storage-driver vfs";
    // podman decompresses each layer and checks it against the config's diff_ids.
    out = run(podman + " pull oci:" + (ws / "out").string() + ":latest && " + podman +
                  " image inspect --format '{{len .RootFS.Layers}}' localhost" +
                  (ws / "out").string() + ":latest",
              &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("\n2\n") != std::string::npos);
    fs::remove_all(ws);
}

TEST_CASE(
    "build: overlayfs and scanning snapshotters give the same image filesystem; base layers "
    "are unpacked once per boot",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("snapshotters");
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() + R"DF(:latest AS one
RUN mkdir -p /data/sub /data/dir-to-file && echo one > /data/a && echo two > /data/sub/b && ln /data/a /data/a-link && ln -s a /data/sym
RUN rm -rf /data/sub /data/dir-to-file && mkdir /data/sub && echo three > /data/sub/c && echo file > /data/dir-to-file && rm /bin/vi && chmod 700 /data && chown 12:34 /etc/group
COPY context.txt /data/
RUN touch /etc/scratch && rm /etc/scratch
FROM oci:)DF" + busybox_layout().string() +
                                 R"DF(:latest
COPY --from=one /data /copied
RUN --mount=type=bind,from=one,source=/data,target=/mnt cat /mnt/sub/c > /from-one
)DF");
    write(ws / "context.txt", "from the context\n");
    auto build = [&](const std::string& snapshotter, const std::string& cache) {
        int status;
        std::string out =
            build_workspace(ws,
                            "--target one --no-push --reproducible --oci-layout " +
                                (ws / ("out-" + snapshotter)).string() + " --snapshotter " +
                                snapshotter + " --cache-dir " + (ws / cache).string(),
                            &status);
        INFO(out);
        REQUIRE(status == 0);
        return out;
    };
    CHECK(build("scan", "cache-scan").find("filesystem: snapshot scanning (--snapshotter scan)") !=
          std::string::npos);
    CHECK(build("overlayfs", "cache-overlay").find("filesystem: overlayfs") != std::string::npos);

    // umoci (not ours) unpacks both images; every path's type, mode, owner, size, time, link
    // target and content agree.
    auto unpacked = [&](const std::string& snapshotter) {
        const fs::path bundle = ws / ("bundle-" + snapshotter);
        int status;
        std::string out = in_unpacked(ws / ("out-" + snapshotter), bundle,
                                      "find . -printf '%p %y %m %U %G %s %T@ %l\\n' | sort && "
                                      "find . -type f -exec sha256sum {} + | sort",
                                      &status);
        INFO(out);
        REQUIRE(status == 0);
        return out;
    };
    const std::string from_overlay = unpacked("overlayfs");
    CHECK(from_overlay == unpacked("scan"));
    CHECK(from_overlay.find("./data/sub/b") == std::string::npos);
    CHECK(from_overlay.find("./bin/vi") == std::string::npos);
    CHECK(from_overlay.find("./etc/group f 644 12 34") != std::string::npos);
    CHECK(from_overlay.find("./data/dir-to-file f") != std::string::npos);
    // The step that only touched /etc made no layer with overlayfs (the copied-up directory is
    // as it was), so the overlay image has no more layers than the scanned one.
    CHECK(layout_config(ws / "out-overlayfs")["rootfs"]["diff_ids"].size() <=
          layout_config(ws / "out-scan")["rootfs"]["diff_ids"].size());

    // The base layer's tree is reused by the next build (same inode: not unpacked again), and one
    // from an earlier boot is unpacked afresh.
    const std::string base_layer =
        layout_manifest(busybox_layout())["layers"][0]["digest"].get<std::string>();
    const fs::path tree = ws / "cache-overlay/unpacked" / ("sha256-" + base_layer.substr(7));
    // Trees and stage roots hold the images' setuid programs: only the builder's user gets in.
    for (const char* dir : {"cache-overlay/unpacked", "cache-overlay/work", "cache-scan/work"})
        CHECK((fs::status(ws / dir).permissions() & fs::perms::all) == fs::perms::owner_all);
    // A file of our own in the tree: gone when the tree is unpacked again.
    REQUIRE(fs::is_directory(tree));
    write(tree / "left-by-the-test", "");
    write(ws / "context.txt", "changed, so the steps from COPY on run again\n");
    build("overlayfs", "cache-overlay");
    CHECK(fs::exists(tree / "left-by-the-test"));
    write(fs::path(tree.string() + ".boot"), "an-earlier-boot\n");
    write(ws / "context.txt", "changed again\n");
    std::string out = build("overlayfs", "cache-overlay");
    CHECK(fs::is_directory(tree / "bin"));
    CHECK(!fs::exists(tree / "left-by-the-test"));
    CHECK(read_file(fs::path(tree.string() + ".boot")) != "an-earlier-boot\n");
    // The whole two-stage build, COPY --from a mounted stage included.
    int status;
    const std::string final_options = "--no-push --oci-layout " + (ws / "out-final").string() +
                                      " --cache-dir " + (ws / "cache-overlay").string();
    out = build_workspace(ws, final_options, &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("stage one: root filesystem ready") != std::string::npos);
    // Warm: every step cached, so no stage's filesystem is unpacked or mounted at all — COPY
    // --from and RUN --mount from a stage included.
    out = build_workspace(ws, final_options, &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("root filesystem ready") == std::string::npos);
    // Nothing stays mounted once the builds are over.
    CHECK(run("grep -c " + ws.string() + " /proc/self/mountinfo || true") == "0\n");
    fs::remove_all(ws);
}

TEST_CASE(
    "build: --platform linux/arm64 on this host, RUN under a binfmt_misc emulator, with a "
    "cross-compiling stage on the build platform; both platforms in one image index",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    int status;
    std::string out = run("bash " + kSource + "/tests/support/emulation.sh aarch64", &status);
    INFO(out);
    REQUIRE(status == 0);
    const fs::path images = busybox_layout().parent_path();
    out = run(
        "bash " + kSource + "/tests/support/base_images.sh " + images.string() + " busybox-arm64",
        &status);
    INFO(out);
    REQUIRE(status == 0);

    fs::path ws = fresh_temp_dir("cross");
    write(ws / "Dockerfile", "FROM --platform=$BUILDPLATFORM oci:" + busybox_layout().string() +
                                 R"DF(:latest AS tools
ARG TARGETARCH
RUN echo "built on $(uname -m) for $TARGETARCH" > /note
FROM oci:)DF" + (images / "busybox-arm64").string() +
                                 R"DF(:latest
COPY --from=tools /note /note
RUN uname -m > /arch
)DF");
    out = build_workspace(ws,
                          "--platform linux/arm64 --no-push --oci-layout " + (ws / "out").string() +
                              " --cache-dir " + (ws / "cache").string(),
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(out.find("run under /usr/libexec/qemu-binfmt/aarch64-binfmt-P") != std::string::npos);
    json config = layout_config(ws / "out");
    CHECK(config["architecture"] == "arm64");
    CHECK(config["os"] == "linux");

    // umoci (not ours) unpacks it: the tools stage ran natively, the final RUN as arm64.
    const std::string host_machine = run("uname -m");
    std::string files = in_unpacked(ws / "out", ws / "bundle", "cat note arch", &status);
    CHECK(status == 0);
    CHECK(files ==
          "built on " + host_machine.substr(0, host_machine.size() - 1) + " for arm64\naarch64\n");

    // Both platforms at once: one image each under an image index, which skopeo (not ours)
    // reads per platform.
    fs::create_symlink(busybox_layout(), ws / "busybox-amd64");
    fs::create_symlink(images / "busybox-arm64", ws / "busybox-arm64");
    write(ws / "Dockerfile",
          "FROM oci:" + ws.string() + "/busybox-${TARGETARCH}:latest\n" + "RUN uname -m > /arch\n");
    out = build_workspace(ws,
                          "--platform linux/amd64,linux/arm64 --no-push --oci-layout " +
                              (ws / "multi").string() + " --digest-file " +
                              (ws / "digest").string() + " --cache-dir " + (ws / "cache").string(),
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    json top = json::parse(read_file(ws / "multi/index.json"));
    REQUIRE(top["manifests"].size() == 1);
    CHECK(top["manifests"][0]["mediaType"] == "application/vnd.oci.image.index.v1+json");
    CHECK(read_file(ws / "digest") == top["manifests"][0]["digest"].get<std::string>() + "\n");
    json image_index = layout_blob(ws / "multi", top["manifests"][0]["digest"]);
    REQUIRE(image_index["manifests"].size() == 2);
    CHECK(image_index["manifests"][0]["platform"]["architecture"] == "amd64");
    CHECK(image_index["manifests"][1]["platform"]["architecture"] == "arm64");
    for (const char* arch : {"amd64", "arm64"}) {
        const fs::path single = ws / (std::string("single-") + arch);
        std::string copied = run("skopeo copy --override-arch " + std::string(arch) +
                                     " oci:" + (ws / "multi").string() +
                                     ":latest oci:" + single.string() + ":latest",
                                 &status);
        INFO(copied);
        REQUIRE(status == 0);
        CHECK(layout_config(single)["architecture"] == arch);
        CHECK(in_unpacked(single, ws / (std::string("bundle-") + arch), "cat arch", &status) ==
              (std::string(arch) == "amd64" ? "x86_64\n" : "aarch64\n"));
    }
    // A docker-archive holds one platform.
    out = build_workspace(
        ws, "--platform linux/amd64,linux/arm64 --no-push --tar " + (ws / "x.tar").string(),
        &status);
    CHECK(status == 2);
    CHECK(out.find("--tar writes one platform's image") != std::string::npos);

    // A platform with no emulator registered: the RUN says what is missing and how to add it.
    if (!fs::exists("/proc/sys/fs/binfmt_misc/qemu-s390x")) {
        write(ws / "Dockerfile",
              "FROM --platform=linux/s390x scratch\nCOPY Dockerfile /\nRUN true\n");
        out = build_workspace(ws, "--no-push --cache-dir " + (ws / "cache").string(), &status);
        INFO(out);
        CHECK(status != 0);
        CHECK(out.find("Dockerfile:3: RUN: RUN for linux/s390x needs an emulator") !=
              std::string::npos);
        CHECK(out.find("qemu-s390x") != std::string::npos);
    }
    fs::remove_all(ws);
}

TEST_CASE(
    "build: COPY --link makes a layer independent of the stage below, reused when the base "
    "changes",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("link");
    write(ws / "a.txt", "linked\n");
    write(ws / "Dockerfile",
          "ARG V=one\nFROM oci:" + busybox_layout().string() + R"DF(:latest AS base
ARG V
RUN mkdir -m 700 /app && echo $V > /v
FROM base
COPY --link --chmod=640 a.txt /app/
RUN cat /v /app/a.txt > /seen
)DF");
    auto build = [&](const std::string& v, const std::string& out_dir) {
        int status;
        std::string out =
            build_workspace(ws,
                            "--no-push --build-arg V=" + v + " --oci-layout " +
                                (ws / out_dir).string() + " --cache-dir " + (ws / "cache").string(),
                            &status);
        INFO(out);
        REQUIRE(status == 0);
        return out;
    };
    build("one", "out-one");
    // A different base: the RUN below it reruns, the linked COPY does not, and its layer is the
    // same blob in both images.
    std::string out = build("two", "out-two");
    CHECK(out.find("[5/6] COPY --link --chmod=640 a.txt /app/\n[5/6] CACHED") != std::string::npos);
    auto layers_of = [&](const std::string& out_dir) {
        std::vector<std::string> digests;
        const json manifest = layout_manifest(ws / out_dir);
        for (const auto& l : manifest["layers"]) digests.push_back(l["digest"]);
        return digests;
    };
    auto one = layers_of("out-one"), two = layers_of("out-two");
    REQUIRE(one.size() == 4);
    REQUIRE(two.size() == 4);
    CHECK(one[1] != two[1]);  // the base stage's RUN
    CHECK(one[2] == two[2]);  // the linked COPY
    // As BuildKit does, the layer carries its parent directory as the copy made it (0755),
    // which replaces the base's /app (0700); the file is there for the next RUN.
    int status;
    std::string listing = in_unpacked(ws / "out-two", ws / "bundle",
                                      "stat -c '%n %a' app app/a.txt && cat seen", &status);
    CHECK(status == 0);
    CHECK(listing == "app 755\napp/a.txt 640\ntwo\nlinked\n");
    fs::remove_all(ws);
}

TEST_CASE(
    "build: ADD of a git repository (branch, tag, subdirectory, --keep-git-dir), keyed by "
    "the commit the ref names",
    "[build-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("git");
    const fs::path served = ws / "served";
    const std::string git =
        "git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main";
    int status;
    std::string out =
        run("set -e; mkdir -p " + served.string() + " && cd " + served.string() + " && " + git +
                " init -q --bare repo.git && " + git +
                " clone -q repo.git work 2>/dev/null; cd work && "
                "mkdir docs && echo '# readme' > README.md && echo guide > docs/guide.txt && "
                "printf '#!/bin/sh\\necho tool\\n' > tool.sh && chmod 755 tool.sh && "
                "ln -s README.md link && " +
                git + " add . && " + git + " commit -qm one && " + git + " tag v1 && " + git +
                " push -q origin HEAD:main v1 2>&1",
            &status);
    INFO(out);
    REQUIRE(status == 0);
    const int port = free_port();
    ChildProcess daemon(
        {"git", "daemon", "--base-path=" + served.string(), "--export-all", "--reuseaddr",
         "--listen=127.0.0.1", "--port=" + std::to_string(port), served.string()},
        ws / "daemon.log");
    const std::string repo = "git://127.0.0.1:" + std::to_string(port) + "/repo.git";
    for (int i = 0; i < 100 && run("git ls-remote " + repo + " >/dev/null 2>&1; echo $?") != "0\n";
         ++i)
        ::usleep(50'000);

    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() + ":latest\n" +
                                 "ADD --keep-git-dir " + repo + "#v1 /full\n" + "ADD " + repo +
                                 "#main /src\n" + "ADD " + repo + "#main:docs /docs\n");
    auto build = [&](const std::string& out_dir) {
        std::string output = build_workspace(ws,
                                             "--no-push --oci-layout " + (ws / out_dir).string() +
                                                 " --cache-dir " + (ws / "cache").string(),
                                             &status);
        INFO(output);
        REQUIRE(status == 0);
        return output;
    };
    build("out1");
    auto listing = [&](const std::string& out_dir) {
        std::string text = in_unpacked(ws / out_dir, ws / (out_dir + "-bundle"),
                                       "stat -c '%n %a %F' src/tool.sh src/link && cat "
                                       "src/README.md docs/guide.txt && ls -a src full | tr "
                                       "'\\n' ' '",
                                       &status);
        CHECK(status == 0);
        return text;
    };
    std::string first = listing("out1");
    CHECK(first.find(
              "src/tool.sh 755 regular file\nsrc/link 777 symbolic link\n# readme\nguide\n") == 0);
    CHECK(first.find(".git") != std::string::npos);  // in /full only:
    CHECK(first.find("src: . .. README.md docs link tool.sh ") != std::string::npos);
    CHECK(first.find("full: . .. .git README.md") != std::string::npos);

    // Nothing new upstream: every step cached. A new commit on main reruns the two #main steps
    // and leaves the tag's alone.
    std::string again = build("out2");
    CHECK(again.find("[2/4] CACHED") != std::string::npos);
    CHECK(again.find("[3/4] CACHED") != std::string::npos);
    CHECK(again.find("[4/4] CACHED") != std::string::npos);
    out = run("cd " + (served / "work").string() + " && echo '# changed' > README.md && " + git +
                  " commit -qam two && " + git + " push -q origin HEAD:main 2>&1",
              &status);
    REQUIRE(status == 0);
    std::string changed = build("out3");
    CHECK(changed.find("[2/4] CACHED") != std::string::npos);
    CHECK(changed.find("[3/4] CACHED") == std::string::npos);
    CHECK(listing("out3").find("# changed\n") != std::string::npos);

    // A ref the remote does not have, and COPY of a repository: clear errors on their lines.
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() + ":latest\nADD " + repo +
                                 "#no-such-branch /src\n");
    out = build_workspace(ws, "--no-push --cache-dir " + (ws / "cache").string(), &status);
    CHECK(status != 0);
    CHECK(out.find("Dockerfile:2: ADD: ") != std::string::npos);
    CHECK(out.find("has no branch or tag 'no-such-branch'") != std::string::npos);
    write(ws / "Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\nADD " + repo + "#main:nope /src\n");
    out = build_workspace(ws, "--no-push --cache-dir " + (ws / "cache").string(), &status);
    CHECK(status != 0);
    CHECK(out.find("has no directory 'nope' at ") != std::string::npos);
    write(ws / "Dockerfile",
          "FROM oci:" + busybox_layout().string() + ":latest\nCOPY " + repo + "#main /src\n");
    out = build_workspace(ws, "--no-push --cache-dir " + (ws / "cache").string(), &status);
    CHECK(status != 0);
    CHECK(out.find("COPY does not clone git repositories") != std::string::npos);
    daemon.stop();
    fs::remove_all(ws);
}

TEST_CASE("build: Latin-1 bytes in the Dockerfile and in RUN output, plain and --progress json",
          "[build-live][utf8]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("latin1");
    // 0xE9 in a comment, a LABEL value and a RUN argument; the RUN also prints Latin-1.
    write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                 ":latest\n# caf\xe9\nLABEL note=\"caf\xe9\"\n"
                                 "RUN printf '\\351t\\351\\n' && printf 'caf\xe9' > /raw\n");
    for (const std::string progress : {"plain", "json"}) {
        INFO("--progress " << progress);
        fs::remove_all(ws / "out");
        int status;
        const std::string stdout_file = (ws / ("stdout-" + progress)).string();
        std::string err = run(std::string(kBinary) + " build --workspace " + ws.string() +
                                  " --no-push --no-cache --progress " + progress +
                                  " --oci-layout " + (ws / "out").string() + " --cache-dir " +
                                  (ws / "cache").string() + " 2>&1 >" + stdout_file,
                              &status);
        INFO(err << read_file(stdout_file));
        REQUIRE(status == 0);
        if (progress == "json") {
            // Every event is JSON (json::parse refuses ill-formed UTF-8); the output comes as
            // U+FFFD.
            bool printed = false;
            for (const json& event : read_json_lines(stdout_file))
                if (event["type"] == "output" &&
                    event["text"].get<std::string>().find("\xEF\xBF\xBDt\xEF\xBF\xBD") !=
                        std::string::npos)
                    printed = true;
            CHECK(printed);
        }
        // JSON image config: U+FFFD; the file the RUN wrote: the raw byte.
        CHECK(layout_config(ws / "out")["config"]["Labels"]["note"] == "caf\xEF\xBF\xBD");
        std::string raw = in_unpacked(ws / "out", ws / ("bundle-" + progress), "cat raw", &status);
        CHECK(status == 0);
        CHECK(raw == "caf\xe9");
    }
    // Two RUNs differing only in a Latin-1 byte (the same JSON, U+FFFD) must not share a cache
    // entry: the second build must not take the first one's layer.
    for (const char* byte : {"\xe9", "\xe8"}) {
        write(ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                     ":latest\nRUN printf 'caf" + byte + "' > /raw\n");
        int status;
        fs::remove_all(ws / "out");
        std::string out = run(std::string(kBinary) + " build --workspace " + ws.string() +
                                  " --no-push --oci-layout " + (ws / "out").string() +
                                  " --cache-dir " + (ws / "cache").string(),
                              &status);
        INFO(out);
        REQUIRE(status == 0);
        CHECK(in_unpacked(ws / "out", ws / ("bundle-cache-" + std::to_string(byte[0] & 0xff)),
                          "cat raw", &status) == std::string("caf") + byte);
    }
    fs::remove_all(ws);
}
