#include "lsp/documents.h"

#include <algorithm>
#include <stdexcept>

#include "devcontainer/find_configs.h"
#include "lsp/params.h"
#include "lsp/uri.h"
#include "syntax/dockerfile_parser.h"

namespace envbuilder::lsp {

namespace {
std::string basename_of(const std::string& uri) {
    std::string path = uri;
    if (auto p = uri_to_path(uri)) path = p->string();
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

DocumentKind classify_document(const std::string& uri, const std::string& language_id) {
    std::string path = uri;
    if (auto p = uri_to_path(uri)) path = p->generic_string();
    std::string name = basename_of(uri);
    // The same locations lint and build look in (devcontainer/find_configs.h).
    if (devcontainer::is_config_location(std::filesystem::path(path)))
        return DocumentKind::Devcontainer;
    if (language_id == "dockerfile") return DocumentKind::Dockerfile;
    std::string n = lower(name);
    if (n == "dockerfile" || n == "containerfile" || n.rfind("dockerfile.", 0) == 0 ||
        n.rfind("containerfile.", 0) == 0 ||
        (n.size() > 11 && n.compare(n.size() - 11, 11, ".dockerfile") == 0))
        return DocumentKind::Dockerfile;
    return DocumentKind::Other;
}

Document& DocumentStore::open(const std::string& uri, const std::string& language_id, int version,
                              std::string text) {
    Document doc;
    doc.uri = uri;
    doc.language_id = language_id;
    doc.version = version;
    doc.text = SourceText(std::move(text));
    doc.kind = classify_document(uri, language_id);
    doc.path = uri_to_path(uri);
    auto [it, inserted] = documents_.insert_or_assign(uri, std::move(doc));
    return it->second;
}

Document& DocumentStore::change(const std::string& uri, int version, const protocol::Json& changes,
                                PositionEncoding encoding) {
    auto it = documents_.find(uri);
    if (it == documents_.end()) throw std::invalid_argument("document not open: " + uri);
    if (!changes.is_array()) throw std::invalid_argument("contentChanges must be an array");
    Document& doc = it->second;
    for (const auto& change : changes) {
        const std::string& replacement = change.at("text").get_ref<const std::string&>();
        if (!change.contains("range")) {
            doc.text = SourceText(replacement);
            continue;
        }
        const auto& range = change.at("range");
        auto read = [&](const char* key, const char* where) {
            return doc.text.decode(read_position(range.value(key, protocol::Json()), where),
                                   encoding);
        };
        size_t start = doc.text.offset_at(read("start", "contentChanges[].range.start"));
        size_t end = doc.text.offset_at(read("end", "contentChanges[].range.end"));
        if (end < start) std::swap(start, end);
        std::string text = doc.text.text();
        text.replace(start, end - start, replacement);
        doc.text = SourceText(std::move(text));
    }
    doc.version = version;
    doc.ast_.reset();
    return doc;
}

const dockerfile::Dockerfile& Document::dockerfile() const {
    if (!ast_)
        ast_ = std::make_shared<const dockerfile::Dockerfile>(dockerfile::parse(text.text()));
    return *ast_;
}

void DocumentStore::close(const std::string& uri) {
    documents_.erase(uri);
}

Document* DocumentStore::find(const std::string& uri) {
    auto it = documents_.find(uri);
    return it == documents_.end() ? nullptr : &it->second;
}

}  // namespace envbuilder::lsp
