// libFuzzer target: applying a layer (tar, tar+gzip or tar+zstd from the fuzzer) onto a fresh
// root directory (under $TMPDIR), unprivileged. Whatever the layer holds, nothing may appear
// outside the root: the root sits alone in a directory of its own, and that directory is checked
// after each run.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "layers/apply.h"

namespace fs = std::filesystem;

namespace {
const fs::path& workspace() {
    static const fs::path dir = [] {
        std::string pattern = (fs::temp_directory_path() / "envbuilder-fuzz-layer-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) std::abort();
        return fs::path(pattern);
    }();
    return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fs::path box = workspace() / "box";
    const fs::path root = box / "root";
    const fs::path layer = workspace() / "layer";
    std::error_code ec;
    fs::remove_all(box, ec);
    fs::create_directories(root);
    {
        std::ofstream out(layer, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    envbuilder::layers::ApplyOptions options;
    options.privileged = false;  // no device nodes or chown, even when fuzzing as root
    try {
        (void)envbuilder::layers::apply_layer(layer, root, options);
    } catch (const envbuilder::layers::LayerError&) {
        // A refused layer is a fine outcome; escaping the root is not.
    }
    for (const auto& entry : fs::directory_iterator(box))
        if (entry.path().filename() != "root") __builtin_trap();
    // The root itself must still be a directory (a layer may not replace it).
    if (!fs::is_directory(fs::symlink_status(root))) __builtin_trap();
    fs::remove_all(box, ec);
    return 0;
}
