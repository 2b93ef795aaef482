#include "registry/credentials.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
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

std::chrono::milliseconds credential_helper_timeout() {
    const char* value = std::getenv("ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT");
    if (!value || !*value) return std::chrono::seconds(30);
    char* end = nullptr;
    errno = 0;
    double seconds = std::strtod(value, &end);
    if (errno != 0 || end == value || *end != '\0' || !(seconds > 0) || seconds > 86400)
        throw std::runtime_error(
            "ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT must be a number of seconds between 0 and "
            "86400, got '" +
            std::string(value) + "'");
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

namespace {

std::string seconds_text(std::chrono::milliseconds ms) {
    char text[32];
    if (ms.count() % 1000 == 0)
        std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(ms.count() / 1000));
    else
        std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms.count()) / 1000);
    return text;
}

// What a helper process left behind: stdout (parsed by us, never shown), how it ended.
struct HelperRun {
    std::string output;
    int status = 0;
    bool timed_out = false;
};

// Runs `program get` with `input` on stdin, in a process group of its own so that a timeout kills
// the helper and anything it started. stderr is read and thrown away: helpers print tokens,
// keychain paths and the like there, and a terminal or CI log must never see those.
HelperRun run_helper_process(const std::string& program, const std::string& input,
                             std::chrono::milliseconds timeout) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("cannot create pipes for " + program);
    if (pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        throw std::runtime_error("cannot create pipes for " + program);
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
        for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
        throw std::runtime_error("cannot create pipes for " + program);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // The helper gets nothing of the builder's but 0, 1 and 2 (no registry socket, no blob file).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    char get[] = "get";
    std::string name = program;
    char* argv[] = {name.data(), get, nullptr};
    pid_t pid;
    int rc = posix_spawnp(&pid, program.c_str(), &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        for (int fd : {in[1], out[0], err[0]}) ::close(fd);
        throw std::runtime_error("credential helper " + program +
                                 " could not be started (is it on PATH?)");
    }
    // The server URL is far smaller than a pipe's buffer: this write never blocks.
    (void)!::write(in[1], input.data(), input.size());
    ::close(in[1]);

    HelperRun run;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    constexpr size_t kMaxOutput = 1u << 20;  // a credential is a few hundred bytes
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_pipes = 2;
    char buf[4096];
    while (open_pipes > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            run.timed_out = true;
            break;
        }
        int ready = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR) break;
        for (pollfd& p : fds) {
            if (p.fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = ::read(p.fd, buf, sizeof buf);
            if (n > 0 && p.fd == out[0] && run.output.size() < kMaxOutput)
                run.output.append(buf, static_cast<size_t>(n));
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                p.fd = -1;
                --open_pipes;
            }
        }
    }
    ::close(out[0]);
    ::close(err[0]);
    if (run.timed_out) ::kill(-pid, SIGKILL);
    while (waitpid(pid, &run.status, 0) < 0 && errno == EINTR) {
    }
    return run;
}

}  // namespace

std::optional<Credentials> run_credential_helper(const std::string& helper,
                                                 const std::string& server_url) {
    const std::string program = "docker-credential-" + helper;
    const auto timeout = credential_helper_timeout();
    HelperRun run = run_helper_process(program, server_url, timeout);
    const std::string& output = run.output;
    if (run.timed_out)
        throw std::runtime_error(
            "credential helper " + program + " did not answer within " + seconds_text(timeout) +
            " for " + server_url +
            " and was stopped (is it waiting for a prompt or an unlocked keychain? "
            "ENVBUILDER_CREDENTIAL_HELPER_TIMEOUT sets the wait in seconds)");
    if (!WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0) {
        // Helpers answer "credentials not found in native keychain" for unknown servers.
        if (output.find("credentials not found") != std::string::npos) return std::nullopt;
        // Its output is not shown: helpers may print secrets, even when they fail.
        throw std::runtime_error(
            "credential helper " + program + " failed for " + server_url +
            (WIFEXITED(run.status)
                 ? " with exit code " + std::to_string(WEXITSTATUS(run.status))
                 : " (killed by signal " + std::to_string(WTERMSIG(run.status)) + ")") +
            "; its output is not shown, as it may hold secrets");
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
