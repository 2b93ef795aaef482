#include "oci/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace envbuilder::oci {

struct Digester::State {
    EVP_MD_CTX* ctx = nullptr;
    ~State() { EVP_MD_CTX_free(ctx); }
};

std::optional<Digest> parse_digest(std::string_view text, std::string* problem) {
    auto fail = [&](std::string why) -> std::optional<Digest> {
        if (problem) *problem = std::move(why);
        return std::nullopt;
    };
    size_t colon = text.find(':');
    if (colon == std::string_view::npos) return fail("a digest is written algorithm:hex, e.g. sha256:<64 hex digits>");
    std::string_view algorithm = text.substr(0, colon), hex = text.substr(colon + 1);
    size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
    if (!want) return fail("unsupported digest algorithm '" + std::string(algorithm) + "' (sha256 or sha512)");
    if (hex.size() != want)
        return fail(std::string(algorithm) + " digests have " + std::to_string(want) + " hex digits, not " +
                    std::to_string(hex.size()));
    for (char c : hex)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return fail("digest hex must be lowercase 0-9a-f");
    return Digest{std::string(algorithm), std::string(hex)};
}

Digester::Digester(std::string_view algorithm) : state_(std::make_unique<State>()), algorithm_(algorithm) {
    const EVP_MD* md = algorithm == "sha256" ? EVP_sha256() : algorithm == "sha512" ? EVP_sha512() : nullptr;
    if (!md) throw std::invalid_argument("unsupported digest algorithm: " + std::string(algorithm));
    state_->ctx = EVP_MD_CTX_new();
    if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, md, nullptr) != 1) throw std::runtime_error("OpenSSL digest init failed");
}

Digester::~Digester() = default;

void Digester::update(std::string_view bytes) {
    if (EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()) != 1) throw std::runtime_error("OpenSSL digest update failed");
    size_ += bytes.size();
}

Digest Digester::finish() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(state_->ctx, out, &length) != 1) throw std::runtime_error("OpenSSL digest final failed");
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(digits[out[i] >> 4]);
        hex.push_back(digits[out[i] & 15]);
    }
    return Digest{algorithm_, hex};
}

Digest digest_of(std::string_view bytes, std::string_view algorithm) {
    Digester d(algorithm);
    d.update(bytes);
    return d.finish();
}

}  // namespace envbuilder::oci
