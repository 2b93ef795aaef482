// The executor against a builder we did not write: every Dockerfile of tests/build_corpus is
// built by envbuilder and by buildah (Debian's, --isolation chroot, vfs storage, --layers) from the
// same busybox base in the same registry; umoci unpacks both, and the root filesystems (path, type,
// mode, owner, size, content, link target) and the image configs must agree field by field
// (tests/support/compare_images.js).
#include "live_registry.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

const std::string kSource = ENVBUILDER_SOURCE_DIR;
// buildah leaves empty files where it mounted /etc/hosts, /etc/hostname and /etc/resolv.conf for
// RUN, and an empty /run; BuildKit leaves none, nor do we. The corpus never writes these paths.
const std::string kBuildahMountStubs = "etc/hostname,etc/hosts,etc/resolv.conf,run";

}  // namespace

TEST_CASE(
    "build: the corpus built by envbuilder and by buildah gives the same filesystems and configs",
    "[build-live][buildah]") {
    SKIP_UNLESS_ROOT();
    LiveRegistry reg(RegistrySetup::plain_http());
    fs::path work = fresh_temp_dir("corpus");
    int status;
    std::string out =
        run("bash " + kSource + "/tests/support/base_images.sh " +
                (fs::temp_directory_path() / "envbuilder-test-images").string() + " busybox && " +
                ENVBUILDER_BINARY + " push " +
                (fs::temp_directory_path() / "envbuilder-test-images/busybox").string() + " " +
                reg.host + "/base/busybox:latest --insecure-registry " + reg.host +
                " --cache-dir " + (work / "push-cache").string(),
            &status);
    INFO(out);
    REQUIRE(status == 0);
    const std::string base = reg.host + "/base/busybox:latest";
    const std::string buildah = "buildah --root " + (work / "buildah-root").string() +
                                " --runroot " + (work / "buildah-run").string() +
                                " --storage-driver vfs";

    for (const auto& entry : fs::directory_iterator(kSource + "/tests/build_corpus")) {
        const std::string name = entry.path().filename().string();
        SECTION(name) {
            fs::path ours = work / (name + "-envbuilder"), theirs = work / (name + "-buildah");
            out = run(std::string(ENVBUILDER_BINARY) + " build --dockerfile " +
                          (entry.path() / "Dockerfile").string() + " --context " +
                          entry.path().string() + " --build-arg BASE=" + base +
                          " --insecure-registry " + reg.host + " --no-push --oci-layout " +
                          ours.string() + " --cache-dir " + (work / "cache").string(),
                      &status);
            INFO(out);
            REQUIRE(status == 0);
            out = run(buildah +
                          " bud --isolation chroot --layers --tls-verify=false --build-arg BASE=" +
                          base + " -f " + (entry.path() / "Dockerfile").string() +
                          " -t localhost/corpus-" + name + " " + entry.path().string() + " && " +
                          buildah + " push --quiet localhost/corpus-" + name +
                          " oci:" + theirs.string() + ":latest",
                      &status);
            INFO(out);
            REQUIRE(status == 0);
            for (const auto& [layout, bundle] :
                 {std::pair{ours, work / (name + "-a")}, std::pair{theirs, work / (name + "-b")}}) {
                out = run("umoci unpack --image " + layout.string() + ":latest " + bundle.string(),
                          &status);
                INFO(out);
                REQUIRE(status == 0);
                std::ofstream(bundle.string() + ".config.json") << layout_config(layout).dump();
            }
            out = run("node " + kSource + "/tests/support/compare_images.js " +
                          (work / (name + "-a") / "rootfs").string() + " " +
                          (work / (name + "-b") / "rootfs").string() + " --config-a " +
                          (work / (name + "-a")).string() + ".config.json --config-b " +
                          (work / (name + "-b")).string() + ".config.json --ignore " +
                          kBuildahMountStubs,
                      &status);
            INFO(out);
            CHECK(status == 0);
        }
    }
    run(buildah + " rm --all; " + buildah + " rmi --all --force");
    fs::remove_all(work);
}
