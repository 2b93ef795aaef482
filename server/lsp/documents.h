#pragma once
// The documents the editor has open, kept in sync through didOpen/didChange/didClose (full and
// incremental), and what kind of file each one is.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "protocol/jsonrpc.h"
#include "syntax/dockerfile_ast.h"
#include "syntax/source_text.h"

namespace envbuilder::lsp {

enum class DocumentKind { Dockerfile, Devcontainer, Other };

// Dockerfiles by languageId `dockerfile` or by name (Dockerfile, *.Dockerfile, Dockerfile.*,
// Containerfile); devcontainer configs by path whatever the languageId.
DocumentKind classify_document(const std::string& uri, const std::string& language_id);

struct Document {
    std::string uri;
    std::string language_id;
    int version = 0;
    SourceText text;
    DocumentKind kind = DocumentKind::Other;
    std::optional<std::filesystem::path> path;  // for file: URIs

    // The parse of a Dockerfile's current text, made on first use and dropped on every change,
    // so that analysis and the editor features share one parse per version.
    const dockerfile::Dockerfile& dockerfile() const;

  private:
    friend class DocumentStore;
    mutable std::shared_ptr<const dockerfile::Dockerfile> ast_;
};

class DocumentStore {
  public:
    Document& open(const std::string& uri, const std::string& language_id, int version,
                   std::string text);
    // Applies LSP content changes in order. Throws std::invalid_argument on malformed changes.
    Document& change(const std::string& uri, int version, const protocol::Json& changes,
                     PositionEncoding encoding);
    void close(const std::string& uri);
    Document* find(const std::string& uri);
    const std::map<std::string, Document>& all() const { return documents_; }

  private:
    std::map<std::string, Document> documents_;
};

}  // namespace envbuilder::lsp
