#pragma once
// Content digests as OCI writes them (`sha256:<64 hex>`, `sha512:<128 hex>`), computed while data
// streams past so nothing has to be held whole in memory.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::oci {

struct Digest {
    std::string algorithm;  // "sha256" or "sha512"
    std::string hex;        // lowercase
    std::string str() const { return algorithm + ":" + hex; }
    bool operator==(const Digest&) const = default;
};

// Parses and checks a digest string; nullopt (with `problem` set) when it is not one we can verify.
std::optional<Digest> parse_digest(std::string_view text, std::string* problem = nullptr);

class Digester {
public:
    explicit Digester(std::string_view algorithm = "sha256");  // throws for unknown algorithms
    ~Digester();
    Digester(const Digester&) = delete;
    Digester& operator=(const Digester&) = delete;

    void update(std::string_view bytes);
    Digest finish();  // the digest of everything passed to update(); the digester is spent
    uint64_t size() const { return size_; }

private:
    struct State;
    std::unique_ptr<State> state_;
    std::string algorithm_;
    uint64_t size_ = 0;
};

Digest digest_of(std::string_view bytes, std::string_view algorithm = "sha256");

}  // namespace envbuilder::oci
