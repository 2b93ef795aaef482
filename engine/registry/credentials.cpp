#include "registry/credentials.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

extern char** environ;

namespace envbuilder::registry {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Docker keys Docker Hub credentials under its historical index URL.
constexpr const char* kDockerHubKey = "https://index.docker.io/v1/";

bool is_docker_hub(const std::string& registry) {
    return registry == "docker.io" || registry == "index.docker.io" ||
           registry == "registry-1.docker.io";
}

// "https://host:port/v1/" -> "host:port"
std::string host_of(std::string key) {
    for (const char* scheme : {"https://", "http://"})
        if (key.rfind(scheme, 0) == 0) key.erase(0, std::string(scheme).size());
    size_t slash = key.find('/');
    if (slash != std::string::npos) key.resize(slash);
    return key;
}

std::string base64_decode(const std::string& in) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=' || c == '\n' || c == '\r') continue;
        size_t v = alphabet.find(c);
        if (v == std::string::npos)
            throw std::runtime_error("the 'auth' value is not valid base64");
        buffer = (buffer << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

}  // namespace

std::string describe(const Credentials& c) {
    if (!c.identity_token.empty()) return "an identity token";
    if (!c.username.empty()) return "credentials for user '" + c.username + "'";
    return "no credentials";
}

CredentialStore CredentialStore::from_environment() {
    fs::path dir;
    if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d)
        dir = d;
    else if (const char* home = std::getenv("HOME"); home && *home)
        dir = fs::path(home) / ".docker";
    if (dir.empty()) return CredentialStore{};
    return from_file(dir / "config.json");
}

CredentialStore CredentialStore::from_file(const fs::path& config_json) {
    CredentialStore store;
    std::ifstream in(config_json);
    if (!in) return store;
    std::stringstream s;
    s << in.rdbuf();
    store.source_ = config_json;
    store.config_text_ = s.str();
    return store;
}

std::optional<Credentials> CredentialStore::lookup(const std::string& registry) const {
    if (config_text_.empty()) return std::nullopt;
    json config = json::parse(config_text_, nullptr, false);
    if (!config.is_object()) throw std::runtime_error(source_.string() + " is not valid JSON");
    const std::string server_url = is_docker_hub(registry) ? kDockerHubKey : registry;

    if (config.contains("credHelpers") && config["credHelpers"].is_object()) {
        for (const auto& [host, helper] : config["credHelpers"].items()) {
            bool match = host_of(host) == registry ||
                         (is_docker_hub(registry) && is_docker_hub(host_of(host)));
            if (match && helper.is_string())
                return run_credential_helper(helper.get<std::string>(), server_url);
        }
    }
    if (config.contains("credsStore") && config["credsStore"].is_string() &&
        !config["credsStore"].get<std::string>().empty()) {
        if (auto c = run_credential_helper(config["credsStore"].get<std::string>(), server_url))
            return c;
    }
    if (config.contains("auths") && config["auths"].is_object()) {
        for (const auto& [key, entry] : config["auths"].items()) {
            std::string host = host_of(key);
            bool match = host == registry || (is_docker_hub(registry) && is_docker_hub(host));
            if (!match || !entry.is_object()) continue;
            Credentials c;
            if (entry.contains("identitytoken") && entry["identitytoken"].is_string())
                c.identity_token = entry["identitytoken"];
            if (entry.contains("auth") && entry["auth"].is_string() &&
                !entry["auth"].get<std::string>().empty()) {
                std::string decoded = base64_decode(entry["auth"]);
                size_t colon = decoded.find(':');
                if (colon == std::string::npos)
                    throw std::runtime_error(source_.string() + ": the 'auth' entry for " + host +
                                             " does not decode to user:password");
                c.username = decoded.substr(0, colon);
                c.password = decoded.substr(colon + 1);
            } else {
                if (entry.contains("username") && entry["username"].is_string())
                    c.username = entry["username"];
                if (entry.contains("password") && entry["password"].is_string())
                    c.password = entry["password"];
            }
            if (!c.empty()) return c;
        }
    }
    return std::nullopt;
}

std::optional<Credentials> run_credential_helper(const std::string& helper,
                                                 const std::string& server_url) {
    const std::string program = "docker-credential-" + helper;
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        throw std::runtime_error("cannot create pipes for " + program);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    for (int fd : {in[0], in[1], out[0], out[1]}) posix_spawn_file_actions_addclose(&actions, fd);
    char get[] = "get";
    std::string name = program;
    char* argv[] = {name.data(), get, nullptr};
    pid_t pid;
    int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        throw std::runtime_error("credential helper " + program +
                                 " could not be started (is it on PATH?)");
    }
    (void)!::write(in[1], server_url.data(), server_url.size());
    ::close(in[1]);
    std::string output;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0) output.append(buf, static_cast<size_t>(n));
    ::close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // Helpers answer "credentials not found in native keychain" for unknown servers.
        if (output.find("credentials not found") != std::string::npos) return std::nullopt;
        throw std::runtime_error("credential helper " + program + " failed for " + server_url);
    }
    json reply = json::parse(output, nullptr, false);
    if (!reply.is_object())
        throw std::runtime_error("credential helper " + program + " did not answer with JSON");
    Credentials c;
    std::string user = reply.value("Username", "");
    std::string secret = reply.value("Secret", "");
    // A username of "<token>" marks the secret as an identity token.
    if (user == "<token>")
        c.identity_token = secret;
    else {
        c.username = user;
        c.password = secret;
    }
    if (c.empty()) return std::nullopt;
    return c;
}

}  // namespace envbuilder::registry
