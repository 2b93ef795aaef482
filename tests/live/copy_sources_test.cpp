// COPY sources resolve inside their own root: a symbolic link in the build context, in a stage's
// filesystem or in an image's, however it points, never brings a host file into the image. A
// canary file in a host directory stands for the host's secrets: links point at it (and at
// /etc) from every kind of source, plainly and through globs, and the canary's bytes must never
// be in a built layer; links that stay inside their root must still work.
#include <unistd.h>

#include <random>

#include "image_fixtures.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing::images;

namespace {

// A host directory with a secret nobody may copy into an image.
struct Canary {
    ScratchDir dir{"canary"};
    std::string secret;
    Canary() {
        std::random_device random;
        secret = "CANARY-" + std::to_string(random()) + std::to_string(random());
        write_text(dir / "secret", secret + "\n");
    }
};

// A context whose links point out of it (at the canary, at /etc) and inside it.
void make_context(const fs::path& context, const Canary& canary) {
    fs::create_directories(context);
    fs::create_directory_symlink(canary.dir.path, context / "lnk");
    fs::create_directory_symlink("/etc", context / "etclnk");
    fs::create_symlink(canary.dir.path / "secret", context / "hostlnk");
    fs::create_directory_symlink("../../../../../../" + canary.dir.path.relative_path().string(),
                                 context / "uplnk");
    write_text(context / "sub/real.txt", "inside the context\n");
    fs::create_directory_symlink("sub", context / "inside");
    fs::create_directory_symlink("/sub", context / "abs_inside");  // the context is the root
    // What a stage gets: the same kinds of links, and an /etc of its own.
    fs::create_directories(context / "stage-files");
    fs::create_directory_symlink(canary.dir.path, context / "stage-files/lnk");
    fs::create_directory_symlink("/etc", context / "stage-files/etclnk");
    fs::create_symlink(canary.dir.path / "secret", context / "stage-files/toplnk");
    write_text(context / "stage-files/etc/hostname", "the stage's own hostname\n");
}

// The build of `body` must fail (no image) with `expected` in its message, and the canary must
// be in no layer the cache holds.
void expect_refused(const fs::path& context, const fs::path& cache, const Canary& canary,
                    const std::string& dockerfile, const std::string& expected,
                    executor::Snapshotter snapshotter = executor::Snapshotter::automatic) {
    INFO(dockerfile);
    BuildOutcome outcome = build_in_process(context, dockerfile, cache, snapshotter);
    if (outcome.image) {
        CHECK_FALSE(layers_contain(*outcome.image, cache, canary.secret));
        FAIL("the build succeeded");
    }
    CHECK_THAT(outcome.error, Catch::Contains(expected));
    CHECK(outcome.error.find(canary.secret) == std::string::npos);
}

}  // namespace

TEST_CASE("copy sources: links in the context never reach the host", "[copy-sources]") {
    SKIP_UNLESS_ROOT();
    Canary canary;
    ScratchDir work("copy-context");
    const fs::path context = work / "context", cache = work / "cache";
    make_context(context, canary);

    expect_refused(context, cache, canary, "FROM scratch\nCOPY lnk/secret /x\n", "not found");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY etclnk/hostname /x\n", "not found");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY uplnk/secret /x\n", "not found");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY hostlnk /x\n",
                   "which is outside the build context");
    // Globs through a link to a host directory find nothing there.
    expect_refused(context, cache, canary, "FROM scratch\nCOPY lnk/* /out/\n", "matches no file");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY l*/secret /out/\n", "not found");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY etclnk/host* /out/\n",
                   "matches no file");
    // ADD of a link to a host file is no different.
    expect_refused(context, cache, canary, "FROM scratch\nADD hostlnk /x\n",
                   "which is outside the build context");
}

TEST_CASE("copy sources: links that stay inside the context are followed within it",
          "[copy-sources]") {
    SKIP_UNLESS_ROOT();
    Canary canary;
    ScratchDir work("copy-inside");
    const fs::path context = work / "context", cache = work / "cache";
    make_context(context, canary);
    BuildOutcome outcome = build_in_process(context,
                                            "FROM scratch\n"
                                            "COPY inside/real.txt /a.txt\n"
                                            "COPY abs_inside/real.txt /b.txt\n"
                                            "COPY in*/real.txt /c.txt\n"
                                            "COPY inside /d/\n"
                                            "COPY . /all/\n",
                                            cache);
    INFO(outcome.error);
    REQUIRE(outcome.image);
    auto files = files_in_layers(*outcome.image, cache);
    CHECK(files["a.txt"] == "inside the context\n");
    CHECK(files["b.txt"] == "inside the context\n");
    CHECK(files["c.txt"] == "inside the context\n");
    CHECK(files["d/real.txt"] == "inside the context\n");
    // The whole context copies its links as links: the canary's bytes are in no layer.
    CHECK(files["all/sub/real.txt"] == "inside the context\n");
    CHECK_FALSE(layers_contain(*outcome.image, cache, canary.secret));
}

TEST_CASE("copy sources: COPY --from resolves links inside the stage's own root",
          "[copy-sources]") {
    SKIP_UNLESS_ROOT();
    Canary canary;
    ScratchDir work("copy-stage");
    const fs::path context = work / "context", cache = work / "cache";
    make_context(context, canary);
    const std::string stage = "FROM scratch AS stage\nCOPY stage-files/ /\nFROM scratch\n";
    for (auto snapshotter : {executor::Snapshotter::overlayfs, executor::Snapshotter::scan}) {
        INFO((snapshotter == executor::Snapshotter::scan ? "scan" : "overlayfs"));
        expect_refused(context, cache, canary, stage + "COPY --from=stage /lnk/secret /x\n",
                       "not found", snapshotter);
        expect_refused(context, cache, canary, stage + "COPY --from=stage /lnk/* /out/\n",
                       "matches no file", snapshotter);
        expect_refused(context, cache, canary, stage + "COPY --from=stage /toplnk /x\n",
                       "which is outside the source stage", snapshotter);

        // `etclnk -> /etc` in the stage is the stage's /etc, plainly and through a glob.
        BuildOutcome outcome = build_in_process(
            context,
            stage + "COPY --from=stage /etclnk/hostname /a\nCOPY --from=stage /etclnk/host* /g/\n",
            cache, snapshotter);
        INFO(outcome.error);
        REQUIRE(outcome.image);
        auto files = files_in_layers(*outcome.image, cache);
        CHECK(files["a"] == "the stage's own hostname\n");
        CHECK(files["g/hostname"] == "the stage's own hostname\n");
    }
}

TEST_CASE("copy sources: COPY --from an image resolves links inside the image", "[copy-sources]") {
    SKIP_UNLESS_ROOT();
    Canary canary;
    ScratchDir work("copy-image");
    const fs::path context = work / "context", cache = work / "cache";
    make_context(context, canary);
    write_layer(work / "layer.tar.gz",
                {dir_entry("etc"), file_entry("etc/hostname", "the image's hostname\n"),
                 link_entry("etclnk", "/etc"), link_entry("lnk", canary.dir.path.string()),
                 link_entry("toplnk", (canary.dir / "secret").string())});
    write_layout(work / "image", {{work / "layer.tar.gz", std::nullopt}});
    const std::string image = "oci:" + (work / "image").string();

    expect_refused(context, cache, canary,
                   "FROM scratch\nCOPY --from=" + image + " /lnk/secret /x\n", "not found");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY --from=" + image + " /lnk/* /o/\n",
                   "matches no file");
    expect_refused(context, cache, canary, "FROM scratch\nCOPY --from=" + image + " /toplnk /x\n",
                   "outside the source stage");
    BuildOutcome outcome = build_in_process(
        context, "FROM scratch\nCOPY --from=" + image + " /etclnk/hostname /a\n", cache);
    INFO(outcome.error);
    REQUIRE(outcome.image);
    CHECK(files_in_layers(*outcome.image, cache)["a"] == "the image's hostname\n");
}
