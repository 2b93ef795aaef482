#include "oci/document_limits.h"

#include <fstream>
#include <sstream>

namespace envbuilder::oci {

namespace fs = std::filesystem;

void check_document_size(uint64_t size, std::string_view what) {
    if (size <= kMaxDocumentSize) return;
    throw StoreError(std::string(what) + " is " + std::to_string(size) +
                     " bytes, over the limit of " + std::to_string(kMaxDocumentSize) +
                     " bytes (4 MiB) for image manifests, indexes and configs; refused");
}

void check_document_size(const Descriptor& descriptor, std::string_view what) {
    check_document_size(descriptor.size, std::string(what) + " " + descriptor.digest.str());
}

std::string read_document(const BlobStore& store, const Digest& digest, std::string_view what) {
    const std::string named = std::string(what) + " " + digest.str();
    auto size = store.size(digest);
    if (!size) throw StoreError(named + " is missing from " + store.root().string());
    check_document_size(*size, named);
    return store.read(digest);
}

std::string read_document_file(const fs::path& file) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw StoreError("cannot read " + file.string() + ": " + ec.message());
    check_document_size(size, file.string());
    std::ifstream in(file, std::ios::binary);
    if (!in) throw StoreError("cannot read " + file.string());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace envbuilder::oci
