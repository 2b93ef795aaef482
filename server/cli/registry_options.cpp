#include "cli/registry_options.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

namespace envbuilder::cli {

namespace fs = std::filesystem;

namespace {

fs::path default_cache_dir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "envbuilder";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "envbuilder";
    return fs::temp_directory_path() / "envbuilder-cache";
}

std::string human_size(uint64_t bytes) {
    char buf[32];
    if (bytes >= (1u << 20))
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    else if (bytes >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    return buf;
}

// A whole number in [min, max], or nullopt.
std::optional<long> whole_number(const std::string& text, long min, long max) {
    if (text.empty() || text.size() > 12) return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9') return std::nullopt;
    long v = std::stol(text);
    if (v < min || v > max) return std::nullopt;
    return v;
}

// "--low-speed-limit BYTES/SECONDS": fail a transfer slower than BYTES per second for SECONDS.
std::optional<std::string> parse_low_speed_limit(const std::string& value,
                                                 registry::TransferLimits& limits) {
    const std::string problem =
        "--low-speed-limit takes BYTES/SECONDS (e.g. 1024/30: fail a "
        "transfer slower than 1024 bytes/s for 30 s), got '" +
        value + "'";
    size_t slash = value.find('/');
    if (slash == std::string::npos) return problem;
    auto bytes = whole_number(value.substr(0, slash), 1, 1L << 40);
    auto seconds = whole_number(value.substr(slash + 1), 1, 86400);
    if (!bytes || !seconds) return problem;
    limits.low_speed_bytes = static_cast<uint64_t>(*bytes);
    limits.low_speed_seconds = *seconds;
    return std::nullopt;
}

}  // namespace

RegistrySettings default_registry_settings() {
    RegistrySettings settings;
    settings.options.credentials = registry::CredentialStore::from_environment();
    settings.cache_dir = default_cache_dir();
    return settings;
}

void add_registry_options(std::vector<Option>& options, RegistrySettings& settings) {
    using Problem = std::optional<std::string>;
    options.push_back({"--registry-mirror", "URL|REGISTRY=URL",
                       "pull through a mirror (tried in order; a bare URL mirrors\nDocker Hub)",
                       true, [&settings](const std::string& v) -> Problem {
                           try {
                               registry::add_mirror(settings.options, v);
                           } catch (const std::invalid_argument& e) {
                               return e.what();
                           }
                           return std::nullopt;
                       }});
    options.push_back({"--no-mirror-fallback", "",
                       "never pull from the origin when mirrors are set", false,
                       [&settings](const std::string&) -> Problem {
                           settings.options.mirror_fallback = false;
                           return std::nullopt;
                       }});
    options.push_back({"--insecure-registry", "HOST", "allow plain HTTP or unverified TLS for HOST",
                       true, [&settings](const std::string& v) -> Problem {
                           settings.options.insecure_registries.insert(v);
                           return std::nullopt;
                       }});
    options.push_back({"--platform", "OS/ARCH[/VARIANT]",
                       "which image of a multi-platform index (default: this host)", false,
                       [&settings](const std::string& v) -> Problem {
                           std::string problem;
                           settings.platform = oci::parse_platform(v, &problem);
                           if (!settings.platform) return "--platform: " + problem;
                           return std::nullopt;
                       }});
    options.push_back({"--cache-dir", "DIR", "blob store (default $XDG_CACHE_HOME/envbuilder)",
                       false, [&settings](const std::string& v) -> Problem {
                           settings.cache_dir = v;
                           return std::nullopt;
                       }});
    options.push_back({"--low-speed-limit", "BYTES/SECONDS",
                       "fail a transfer slower than this (default 1024/30)", false,
                       [&settings](const std::string& v) {
                           return parse_low_speed_limit(v, settings.options.limits);
                       }});
    options.push_back({"--transfer-timeout", "SECONDS",
                       "the longest one transfer may take (default 3600, 0: none)", false,
                       [&settings](const std::string& v) -> Problem {
                           auto seconds = whole_number(v, 0, 7 * 86400);
                           if (!seconds)
                               return "--transfer-timeout takes whole seconds from 0 (no limit) "
                                      "to 604800, got '" +
                                      v + "'";
                           settings.options.limits.deadline_seconds = *seconds;
                           return std::nullopt;
                       }});
    options.push_back(
        {"--max-retry-wait", "SECONDS", "cap on a registry's Retry-After (default 60)", false,
         [&settings](const std::string& v) -> Problem {
             auto seconds = whole_number(v, 0, 86400);
             if (!seconds)
                 return "--max-retry-wait takes whole seconds up to 86400, got '" + v + "'";
             settings.options.max_retry_wait = std::chrono::seconds(*seconds);
             return std::nullopt;
         }});
}

// Renders transfer events: one line per finished blob on `out`; on a terminal, also a live status
// line on stderr with the bytes moved so far.
registry::TransferObserver progress_printer(std::ostream& out) {
    struct State {
        std::map<std::string, std::pair<uint64_t, uint64_t>> active;  // digest -> (bytes, size)
        bool tty = ::isatty(2) == 1;
    };
    auto state = std::make_shared<State>();
    return [state, &out](const registry::TransferEvent& e) {
        using K = registry::TransferEvent::Kind;
        using O = registry::TransferEvent::Outcome;
        const bool pull = e.direction == registry::TransferEvent::Direction::pull;
        if (e.kind == K::finished) {
            state->active.erase(e.digest.str());
            if (state->tty) std::fprintf(stderr, "\r\033[K");
            out << "blob " << e.digest.str() << " (" << e.size << " bytes) ";
            switch (e.outcome) {
                case O::transferred:
                    out << (pull ? "from " : "uploaded to ") << e.source;
                    break;
                case O::cached:
                    out << "from cache";
                    break;
                case O::already_present:
                    out << "already present";
                    break;
                case O::mounted:
                    out << "mounted from " << e.source;
                    break;
            }
            out << std::endl;
        } else {
            state->active[e.digest.str()] = {e.bytes, e.size};
        }
        if (state->tty && !state->active.empty()) {
            uint64_t done = 0, total = 0;
            for (const auto& [digest, p] : state->active) {
                done += p.first;
                total += p.second;
            }
            std::fprintf(stderr, "\r\033[K%s %zu blob(s): %s / %s", pull ? "pulling" : "pushing",
                         state->active.size(), human_size(done).c_str(), human_size(total).c_str());
            std::fflush(stderr);
        }
    };
}

}  // namespace envbuilder::cli
