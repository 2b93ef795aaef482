#pragma once
// Registry credentials from Docker's config.json ($DOCKER_CONFIG/config.json or
// ~/.docker/config.json): `credHelpers` for the registry, else `credsStore`, else `auths` (base64
// `auth`, `username`/`password`, `identitytoken`). Helpers are the `docker-credential-<name>`
// executables on PATH. Secrets never appear in messages or logs.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace envbuilder::registry {

struct Credentials {
    std::string username;
    std::string password;
    std::string identity_token;  // an OAuth refresh token: exchanged for a registry token
    bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// For messages: "credentials for user 'x'" or "an identity token" — never the secret.
std::string describe(const Credentials& c);

class CredentialStore {
  public:
    // Reads the config from the Docker locations; a missing config means no credentials.
    static CredentialStore from_environment();
    static CredentialStore from_file(const std::filesystem::path& config_json);

    // Credentials for a registry host ("docker.io", "ghcr.io", "localhost:5000"); nullopt when
    // none are configured. Throws std::runtime_error when a configured helper fails.
    std::optional<Credentials> lookup(const std::string& registry) const;

    const std::filesystem::path& source() const { return source_; }

  private:
    std::filesystem::path source_;
    std::string config_text_;
};

// Runs `docker-credential-<helper> get` for a server URL. The helper's stderr is never shown (nor
// its stdout, which holds the secret); a failure says only which helper failed and its exit code.
// A helper that does not answer within credential_helper_timeout() is killed (with anything it
// started) and reported by name.
std::optional<Credentials> run_credential_helper(const std::string& helper,
                                                 const std::string& server_url);

// How long a credential helper may take: $ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT seconds (fractions
// allowed), 30 s by default. Throws std::runtime_error naming the variable for a bad value.
std::chrono::milliseconds credential_helper_timeout();

}  // namespace envbuilder::registry
