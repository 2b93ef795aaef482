#include "features/local_feature.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace envbuilder::features {

namespace fs = std::filesystem;

namespace {
// devcontainer-feature.json files are small; a larger one is not a feature's metadata.
constexpr std::uintmax_t kMaxMetadataBytes = 1 << 20;
}  // namespace

std::shared_ptr<const ResolvedFeature> read_feature_folder(const fs::path& folder) {
    const fs::path file = folder / "devcontainer-feature.json";
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw std::runtime_error("feature folder " + folder.string() + " does not exist");
    const auto size = fs::file_size(file, ec);
    if (ec)
        throw std::runtime_error(
            file.string() + ": cannot be read (" + ec.message() +
            "); a feature folder holds devcontainer-feature.json and install.sh");
    if (size > kMaxMetadataBytes)
        throw std::runtime_error(file.string() + ": larger than 1 MiB; not a feature's metadata");
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    if (!in && !in.eof()) throw std::runtime_error(file.string() + ": cannot be read");
    MetadataResult parsed = parse_feature_metadata(text);
    if (!parsed.metadata) throw std::runtime_error(describe_problems(parsed, file.string()));
    if (!fs::is_regular_file(folder / "install.sh", ec))
        throw std::runtime_error(folder.string() +
                                 ": has no install.sh, the script a feature installs with");
    auto resolved = std::make_shared<ResolvedFeature>();
    resolved->metadata = std::move(*parsed.metadata);
    resolved->folder = folder;
    return resolved;
}

}  // namespace envbuilder::features
