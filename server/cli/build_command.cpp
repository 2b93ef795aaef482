#include "cli/build_command.h"

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "cli/build_features.h"
#include "cli/devcontainer_build_options.h"
#include "cli/option_table.h"
#include "cli/registry_options.h"
#include "cli/user_namespace.h"
#include "devcontainer/devcontainer.h"
#include "devcontainer/find_configs.h"
#include "devcontainer/substitution.h"
#include "executor/build.h"
#include "features/metadata_label.h"
#include "oci/docker_archive.h"
#include "oci/image_index.h"
#include "oci/write_layout.h"
#include "registry/image_pull.h"
#include "registry/image_push.h"
#include "syntax/json_text.h"
#include "syntax/jsonc_json.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;

namespace {

// A --secret as given: staged (checked, and an environment variable's value written to
// /dev/shm) only once all the options parsed.
struct SecretOption {
    std::string id;
    fs::path source;  // src=FILE
    std::string env;  // env=VAR
};

struct BuildCommand : RegistrySettings {
    fs::path workspace = ".";
    fs::path devcontainer, dockerfile, context, oci_layout, digest_file, tar;
    std::vector<std::string> images;
    std::optional<std::string> base_image, target;
    std::map<std::string, std::string> build_args;
    std::vector<SecretOption> secret_options;
    std::map<std::string, fs::path> secrets;  // staged from secret_options
    std::vector<fs::path> secret_files;       // written from environment variables; removed at exit
    bool push = true, no_cache = false, reproducible = false, json_progress = false;
    bool allow_security_insecure = false;  // --allow security.insecure
    layers::Compression compression = layers::Compression::gzip;
    executor::Snapshotter snapshotter = executor::Snapshotter::automatic;
    layers::UnpackLimits unpack_limits;  // --max-layer-size, --max-unpacked-size
    // --platform with several platforms (a,b): one build each, pushed as one image index
    std::vector<oci::Platform> platforms;
};

using Problem = std::optional<std::string>;

// An option that stores its value as it is.
template <typename T>
std::function<Problem(const std::string&)> store_into(T& field) {
    return [&field](const std::string& v) -> Problem {
        field = v;
        return std::nullopt;
    };
}

// An option that sets a flag.
std::function<Problem(const std::string&)> set_flag(bool& flag, bool to = true) {
    return [&flag, to](const std::string&) -> Problem {
        flag = to;
        return std::nullopt;
    };
}

// An option whose value is one of a few words.
template <typename T>
std::function<Problem(const std::string&)> one_of(const std::string& name, T& field,
                                                  std::vector<std::pair<std::string, T>> words) {
    return [name, &field, words](const std::string& v) -> Problem {
        std::string known;
        for (const auto& [word, value] : words) {
            if (word == v) {
                field = value;
                return std::nullopt;
            }
            known += (known.empty() ? "" : ", ") + word;
        }
        return name + " takes " + known + ", got '" + v + "'";
    };
}

Problem take_build_arg(const std::string& v, BuildCommand& cmd) {
    size_t eq = v.find('=');
    if (eq != std::string::npos) {
        cmd.build_args[v.substr(0, eq)] = v.substr(eq + 1);
        return std::nullopt;
    }
    // Docker takes the value from the environment when only a name is given.
    const char* env = std::getenv(v.c_str());
    if (!env) return "--build-arg " + v + ": no value given and none in the environment";
    cmd.build_args[v] = env;
    return std::nullopt;
}

Problem take_secret(const std::string& v, BuildCommand& cmd) {
    std::map<std::string, std::string> fields;
    std::stringstream parts(v);
    for (std::string part; std::getline(parts, part, ',');) {
        size_t eq = part.find('=');
        if (eq == std::string::npos) return "--secret: '" + part + "' is not KEY=VALUE";
        fields[part.substr(0, eq)] = part.substr(eq + 1);
    }
    SecretOption secret{fields["id"], !fields["src"].empty() ? fields["src"] : fields["source"],
                        fields["env"]};
    if (secret.id.empty()) return "--secret needs id=ID";
    if (secret.source.empty() && secret.env.empty())
        return "--secret " + secret.id + " needs src=FILE or env=VAR";
    cmd.secret_options.push_back(secret);
    return std::nullopt;
}

// A list of platforms is the build's own (pull and inspect take one).
Problem take_platforms(const std::string& v, BuildCommand& cmd) {
    std::istringstream list(v);
    for (std::string one; std::getline(list, one, ',');) {
        std::string problem;
        auto parsed = oci::parse_platform(one, &problem);
        if (!parsed) return "--platform: " + problem;
        for (const auto& seen : cmd.platforms)
            if (seen.str() == parsed->str()) return "--platform names " + one + " twice";
        cmd.platforms.push_back(*parsed);
    }
    if (cmd.platforms.size() == 1) {
        cmd.platform = cmd.platforms.front();
        cmd.platforms.clear();
    }
    return std::nullopt;
}

Problem take_size(const std::string& name, const std::string& v, uint64_t& field) {
    std::string problem;
    auto size = layers::parse_byte_size(v, &problem);
    if (!size) return name + ": " + problem;
    field = *size;
    return std::nullopt;
}

// The build's options, filling `cmd`; the registry options follow the build's own.
CommandTable build_table(BuildCommand& cmd) {
    static_cast<RegistrySettings&>(cmd) = default_registry_settings();
    using C = layers::Compression;
    using S = executor::Snapshotter;
    CommandTable table{"build", "[--workspace DIR] --image REF [options]", {}, ""};
    auto& o = table.options;
    o.push_back({"--workspace", "DIR",
                 "the folder with .devcontainer/devcontainer.json or .devcontainer.json\n"
                 "(or a Dockerfile/Containerfile); default: the current directory",
                 false, store_into(cmd.workspace)});
    o.push_back({"--devcontainer", "PATH", "use this devcontainer.json", false,
                 store_into(cmd.devcontainer)});
    o.push_back({"--dockerfile", "PATH", "build this Dockerfile instead of a devcontainer's", false,
                 store_into(cmd.dockerfile)});
    o.push_back({"--context", "DIR",
                 "the build context (default: the devcontainer's, or the\nDockerfile's folder)",
                 false, store_into(cmd.context)});
    o.push_back({"--image", "REF", "where to push the result (every tag is pushed)", true,
                 [&cmd](const std::string& v) -> Problem {
                     cmd.images.push_back(v);
                     return std::nullopt;
                 }});
    o.push_back({"--base-image", "REF",
                 "replace the image the final stage is built on (no file is\nchanged)", false,
                 store_into(cmd.base_image)});
    o.push_back({"--build-arg", "NAME[=VALUE]",
                 "set a build argument (wins over build.args; NAME alone:\nfrom the environment)",
                 true, [&cmd](const std::string& v) { return take_build_arg(v, cmd); }});
    o.push_back({"--target", "STAGE", "build this stage (default: build.target, else the last)",
                 false, store_into(cmd.target)});
    o.push_back({"--no-push", "",
                 "do not push; write --oci-layout or --tar instead (or only fill the\ncache)",
                 false, set_flag(cmd.push, false)});
    o.push_back({"--oci-layout", "DIR", "also write the image as an OCI image layout", false,
                 store_into(cmd.oci_layout)});
    o.push_back({"--tar", "PATH", "also write it as a docker-archive (docker load / podman load)",
                 false, store_into(cmd.tar)});
    o.push_back({"--digest-file", "PATH", "write the image manifest's digest here", false,
                 store_into(cmd.digest_file)});
    o.push_back(
        {"--progress", "plain|json",
         "json: one JSON object per line on stdout, for editors\n(default plain)", false,
         one_of<bool>("--progress", cmd.json_progress, {{"plain", false}, {"json", true}})});
    o.push_back({"--no-cache", "", "run every step, ignoring cached layers", false,
                 set_flag(cmd.no_cache)});
    o.push_back({"--allow", "security.insecure",
                 "let RUN --security=insecure steps run unconfined (every\n"
                 "capability, no seccomp filter, writable /proc/sys and /sys)",
                 false, [&cmd](const std::string& v) -> Problem {
                     if (v != "security.insecure")
                         return "--allow takes security.insecure, got '" + v +
                                "' (network.host is not needed: RUN uses the host network "
                                "unless --network=none)";
                     cmd.allow_security_insecure = true;
                     return std::nullopt;
                 }});
    o.push_back({"--secret", "id=ID,src=FILE",
                 "a secret for RUN --mount=type=secret (also id=ID,env=VAR);\n"
                 "never stored in the image or the cache",
                 true, [&cmd](const std::string& v) { return take_secret(v, cmd); }});
    o.push_back(
        {"--compression", "gzip|zstd", "layer compression (default gzip)", false,
         one_of<C>("--compression", cmd.compression, {{"gzip", C::gzip}, {"zstd", C::zstd}})});
    o.push_back(
        {"--snapshotter", "auto|overlayfs|scan",
         "how each step's changes are found: overlayfs (the upper\n"
         "directory is the diff; needs root) or scanning the tree\n"
         "(default auto: overlayfs where it can be mounted)",
         false,
         one_of<S>("--snapshotter", cmd.snapshotter,
                   {{"auto", S::automatic}, {"overlayfs", S::overlayfs}, {"scan", S::scan}})});
    o.push_back({"--max-layer-size", "SIZE",
                 "the most one image layer may unpack to (default 32G; K, M, G)", false,
                 [&cmd](const std::string& v) {
                     return take_size("--max-layer-size", v, cmd.unpack_limits.max_layer_bytes);
                 }});
    o.push_back({"--max-unpacked-size", "SIZE",
                 "the most all layers of the build may unpack to (default 64G)", false,
                 [&cmd](const std::string& v) {
                     return take_size("--max-unpacked-size", v, cmd.unpack_limits.max_total_bytes);
                 }});
    o.push_back({"--reproducible", "",
                 "timestamps from SOURCE_DATE_EPOCH (0 when unset): identical\n"
                 "images from identical inputs",
                 false, set_flag(cmd.reproducible)});
    add_registry_options(o, cmd);
    for (auto& option : o)
        if (option.name == "--platform") {
            option.value = "P[,P...]";
            option.help =
                "build for these platforms (default: this host's); several\n"
                "give one image per platform under one image index";
            option.take = [&cmd](const std::string& v) { return take_platforms(v, cmd); };
        }
    return table;
}

// What the options say together (each one alone was checked as it was taken).
std::string check_combination(const BuildCommand& cmd,
                              const std::vector<std::string>& positionals) {
    if (!positionals.empty()) return "unexpected argument '" + positionals.front() + "'";
    if (cmd.push && cmd.images.empty()) return "--image is required (or --no-push)";
    if (cmd.platforms.size() > 1 && !cmd.tar.empty())
        return "--tar writes one platform's image; with several platforms use --oci-layout or "
               "push";
    return "";
}

// The secrets as the build reads them: files checked, environment values written to /dev/shm
// (0600, removed when the command ends). Runs only after the options all parsed.
void stage_secrets(BuildCommand& cmd) {
    for (const auto& secret : cmd.secret_options) {
        if (!secret.source.empty()) {
            if (!fs::is_regular_file(secret.source))
                throw std::runtime_error("--secret " + secret.id + ": " + secret.source.string() +
                                         " is not a file");
            cmd.secrets[secret.id] = fs::absolute(secret.source);
            continue;
        }
        const char* value = std::getenv(secret.env.c_str());
        if (!value)
            throw std::runtime_error("--secret " + secret.id + ": $" + secret.env + " is not set");
        char path[] = "/dev/shm/envbuilder-secret-XXXXXX";
        int fd = ::mkstemp(path);
        if (fd < 0)
            throw std::runtime_error("--secret " + secret.id + ": cannot hold it in /dev/shm");
        cmd.secret_files.emplace_back(path);
        ::fchmod(fd, 0600);
        const size_t size = std::strlen(value);
        const bool written = ::write(fd, value, size) == static_cast<ssize_t>(size);
        ::close(fd);
        if (!written)
            throw std::runtime_error("--secret " + secret.id + ": cannot write it to /dev/shm");
        cmd.secrets[secret.id] = path;
    }
}

std::vector<oci::Reference> parse_images(const std::vector<std::string>& images) {
    std::vector<oci::Reference> refs;
    for (const auto& image : images) {
        auto parsed = oci::parse_reference(image);
        if (auto* e = oci::get_error(parsed))
            throw std::runtime_error("--image '" + image + "' at offset " +
                                     std::to_string(e->offset) + ": " + e->message);
        refs.push_back(std::get<oci::Reference>(parsed));
    }
    return refs;
}

std::string format_duration(std::chrono::milliseconds d) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(d.count()) / 1000.0 << "s";
    return s.str();
}

// Plain progress lines: a header per step, its output indented, and how it ended.
std::function<void(const executor::BuildEvent&)> event_printer(std::ostream& out, bool terminal) {
    auto transfers = progress_printer(out);
    // On a terminal, a step that printed nothing is finished on its own line: "[3/8] RUN … 1.2s".
    auto header_open = std::make_shared<bool>(false);
    return [&out, transfers, terminal, header_open](const executor::BuildEvent& e) {
        using K = executor::BuildEvent::Kind;
        std::string prefix = "[" + std::to_string(e.step) + "/" + std::to_string(e.steps) + "] ";
        auto close_header = [&] {
            if (*header_open) out << '\n';
            *header_open = false;
        };
        switch (e.kind) {
            case K::step_started:
                close_header();
                out << prefix << e.instruction;
                if (terminal) {
                    out << std::flush;
                    *header_open = true;
                } else {
                    out << std::endl;
                }
                break;
            case K::step_finished: {
                std::string how = e.cached ? "CACHED" : "done in " + format_duration(e.duration);
                if (*header_open)
                    out << "  \033[2m" << how << "\033[0m" << std::endl;
                else
                    out << prefix << how << std::endl;
                *header_open = false;
                break;
            }
            case K::output:
                close_header();
                out << "  | " << e.text << std::endl;
                break;
            case K::transfer:
                if (e.transfer.kind == registry::TransferEvent::Kind::finished) {
                    close_header();
                    transfers(e.transfer);
                }
                break;
            case K::message:
                close_header();
                out << prefix << e.text << std::endl;
                break;
            case K::warning:
                close_header();
                out << prefix << "warning: " << e.text << std::endl;
                break;
        }
    };
}

nlohmann::json range_json(const Range& r) {
    return {{"start", {{"line", r.start.line}, {"character", r.start.character}}},
            {"end", {{"line", r.end.line}, {"character", r.end.character}}}};
}

// One JSON object per line on `out`, for editors: the build's events as they happen.
std::function<void(const executor::BuildEvent&)> json_event_printer(std::ostream& out) {
    return [&out](const executor::BuildEvent& e) {
        using K = executor::BuildEvent::Kind;
        static const char* names[] = {"step_started", "step_finished", "output",
                                      "transfer",     "message",       "warning"};
        nlohmann::json j = {
            {"type", names[static_cast<int>(e.kind)]}, {"step", e.step}, {"steps", e.steps}};
        switch (e.kind) {
            case K::step_started:
            case K::step_finished:
                j["instruction"] = e.instruction;
                j["range"] = range_json(e.range);
                if (!e.file.empty()) j["file"] = e.file.string();
                if (e.kind == K::step_finished) {
                    j["cached"] = e.cached;
                    j["durationMs"] = e.duration.count();
                }
                break;
            case K::transfer: {
                static const char* kinds[] = {"started", "progress", "finished"};
                j["transfer"] = {
                    {"kind", kinds[static_cast<int>(e.transfer.kind)]},
                    {"direction", e.transfer.direction == registry::TransferEvent::Direction::pull
                                      ? "pull"
                                      : "push"},
                    {"digest", e.transfer.digest.str()},
                    {"size", e.transfer.size},
                    {"bytes", e.transfer.bytes},
                    {"source", e.transfer.source}};
                break;
            }
            default:
                j["text"] = e.text;
        }
        out << json_text(j) << std::endl;
    };
}

// What a workspace asks for: a Dockerfile build, or an image used as it is.
struct Source {
    fs::path dockerfile, context;
    std::optional<std::string> image;
    std::map<std::string, std::string> args;
    std::string target;
    // The devcontainer.json the build follows, when it follows one (for its features).
    fs::path config_file;
    std::optional<devcontainer::Devcontainer> config;
    nlohmann::ordered_json document;  // devcontainer.json as written, for the metadata label
    std::optional<devcontainer::SubstitutionContext> substitution;
    DockerBuildOptions build_options;  // build.options
};

// `human` hears which devcontainer config was chosen, when that is worth saying.
Source find_source(const BuildCommand& cmd, std::ostream& human) {
    Source source;
    if (!cmd.dockerfile.empty()) {
        source.dockerfile = fs::absolute(cmd.dockerfile);
        source.context =
            cmd.context.empty() ? source.dockerfile.parent_path() : fs::absolute(cmd.context);
        return source;
    }
    fs::path config = cmd.devcontainer;
    if (config.empty()) {
        devcontainer::ConfigChoice choice =
            devcontainer::choose_config(cmd.workspace, "--devcontainer");
        if (!choice.error.empty()) throw std::runtime_error(choice.error);
        config = choice.config;
        if (!choice.note.empty()) human << choice.note << '\n';
    }
    if (config.empty()) {
        for (const char* name : {"Dockerfile", "Containerfile"})
            if (fs::is_regular_file(cmd.workspace / name)) {
                source.dockerfile = fs::absolute(cmd.workspace / name);
                source.context =
                    cmd.context.empty() ? fs::absolute(cmd.workspace) : fs::absolute(cmd.context);
                return source;
            }
        throw std::runtime_error(
            cmd.workspace.string() +
            ": no .devcontainer/devcontainer.json, .devcontainer.json or Dockerfile");
    }
    config = fs::absolute(config);
    std::ifstream in(config);
    if (!in) throw std::runtime_error("cannot read " + config.string());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto analysis = devcontainer::analyze_devcontainer(SourceText(text), config);
    for (const auto& d : analysis.diagnostics)
        if (d.severity == Severity::Error)
            throw std::runtime_error(
                config.string() + ":" + std::to_string(d.range.start.line + 1) + ":" +
                std::to_string(d.range.start.character + 1) + ": " + d.message);
    // The CLI's ${localEnv:…}, ${localWorkspaceFolder}… in what the build reads; the label keeps
    // the values as written (the CLI substitutes them again when it reads the label).
    devcontainer::Devcontainer dc = analysis.config;
    try {
        source.substitution = devcontainer::substitution_context(cmd.workspace, config, dc);
        devcontainer::substitute_config(dc, *source.substitution);
    } catch (const devcontainer::SubstitutionError& e) {
        throw std::runtime_error(config.string() + ": " + e.what());
    }
    source.config_file = config;
    source.config = dc;
    if (analysis.json) source.document = jsonc::to_json(*analysis.json);
    switch (dc.image_source()) {
        case devcontainer::ImageSource::Image:
            source.image = dc.image->value;
            return source;
        case devcontainer::ImageSource::Dockerfile: {
            auto paths = devcontainer::resolve_build_paths(dc, config);
            if (!paths) throw std::runtime_error(config.string() + ": no Dockerfile to build");
            source.dockerfile = paths->dockerfile;
            source.context = cmd.context.empty() ? paths->context : fs::absolute(cmd.context);
            if (dc.build && dc.build->value.args)
                for (const auto& arg : dc.build->value.args->value)
                    if (arg.value) source.args[arg.name] = *arg.value;
            if (dc.build && dc.build->value.target) source.target = dc.build->value.target->value;
            if (dc.build && dc.build->value.options) {
                // As docker sees them: after build.args and build.target, so they win.
                source.build_options =
                    parse_build_options(dc.build->value.options->value, config.string());
                for (const auto& [k, v] : source.build_options.build_args) source.args[k] = v;
                if (source.build_options.target) source.target = *source.build_options.target;
            }
            if (dc.build && dc.build->value.cache_from)
                for (const auto& from : dc.build->value.cache_from->value)
                    human << "warning: " << config.filename().string() << ":"
                          << from.range.start.line + 1 << ": build.cacheFrom " << from.value
                          << " is not used: envbuilder does not read registry caches yet; steps "
                             "are cached in --cache-dir only\n";
            return source;
        }
        case devcontainer::ImageSource::Compose:
            throw std::runtime_error(
                config.string() +
                ": dockerComposeFile configs are run by Docker Compose; build its services' "
                "Dockerfiles with --dockerfile");
        case devcontainer::ImageSource::None:
            break;
    }
    throw std::runtime_error(config.string() +
                             ": names no image, build.dockerfile or dockerComposeFile");
}

// What the configuration adds to its image's build: features, the metadata label, containerEnv.
executor::DevcontainerBuild devcontainer_build(const Source& source, ConfigFeatures& planned) {
    executor::DevcontainerBuild dc;
    dc.config_file = source.config_file;
    dc.features = std::move(planned.installs);
    dc.container_user = planned.container_user;
    dc.remote_user = planned.remote_user;
    dc.metadata_entries = std::move(planned.metadata_entries);
    dc.metadata_entries.push_back(features::config_metadata_entry(source.document));
    if (source.config->container_env) {
        dc.container_env_range = source.config->container_env->key_range;
        for (const auto& var : source.config->container_env->value)
            if (var.value) dc.container_env.emplace_back(var.name, *var.value);
    }
    return dc;
}

// The one-line Dockerfile that builds an image configuration's features, removed afterwards.
class TemporaryDockerfile {
  public:
    TemporaryDockerfile() = default;
    TemporaryDockerfile(const TemporaryDockerfile&) = delete;
    TemporaryDockerfile& operator=(const TemporaryDockerfile&) = delete;
    ~TemporaryDockerfile() {
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }
    fs::path write(const std::string& text) {
        std::string pattern = (fs::temp_directory_path() / "envbuilder-image-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("cannot make a temporary directory");
        dir_ = pattern;
        std::ofstream(dir_ / "Dockerfile") << text;
        return dir_ / "Dockerfile";
    }

  private:
    fs::path dir_;
};

const oci::Descriptor& descriptor_of(const oci::StoredImage& image) {
    return image.manifest_descriptor;
}
const oci::Descriptor& descriptor_of(const oci::StoredIndex& index) {
    return index.descriptor;
}
const std::string& manifest_bytes(const oci::StoredImage& image) {
    return image.manifest;
}
const std::string& manifest_bytes(const oci::StoredIndex& index) {
    return index.index;
}

// The executor's request: the source's settings, overridden by the command line's.
executor::BuildRequest build_request(const BuildCommand& cmd, const Source& source) {
    executor::BuildRequest request;
    request.dockerfile = source.dockerfile;
    request.context = source.context;
    request.build_args = source.args;
    for (const auto& [k, v] : cmd.build_args) request.build_args[k] = v;
    request.target = cmd.target ? *cmd.target : source.target;
    request.base_image = cmd.base_image;
    request.platform = cmd.platform;
    if (!cmd.platform && source.build_options.platform) {
        std::string problem;
        request.platform = oci::parse_platform(*source.build_options.platform, &problem);
        if (!request.platform)
            throw std::runtime_error("build.options: --platform " + *source.build_options.platform +
                                     ": " + problem);
    }
    request.labels = source.build_options.labels;
    request.network = source.build_options.network;
    request.cache_dir = cmd.cache_dir;
    request.registry = cmd.options;
    request.compression = cmd.compression;
    request.snapshotter = cmd.snapshotter;
    request.unpack_limits = cmd.unpack_limits;
    request.no_cache = cmd.no_cache || source.build_options.no_cache;
    request.allow_security_insecure = cmd.allow_security_insecure;
    request.secrets = cmd.secrets;
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        try {
            request.source_date_epoch = std::stoll(epoch);
        } catch (const std::exception&) {
            throw std::runtime_error(
                std::string("SOURCE_DATE_EPOCH must be a number of seconds, got '") + epoch + "'");
        }
    } else if (cmd.reproducible) {
        request.source_date_epoch = 0;
    }
    return request;
}

}  // namespace

int run_build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    BuildCommand cmd;
    // Parsed before anything else happens (even the user namespace): --help and a bad option are
    // answered at once, and a command that does not parse has done nothing.
    {
        CommandTable table = build_table(cmd);
        ParseOutcome outcome = parse_options(table, args);
        if (outcome.problem.empty() && !outcome.help)
            outcome.problem = check_combination(cmd, outcome.positionals);
        if (auto code = finish_parsing(table, outcome, out, err)) return *code;
    }
    if (::geteuid() != 0 && !inside_build_user_namespace()) {
        std::vector<std::string> again{"build"};
        again.insert(again.end(), args.begin(), args.end());
        out.flush();
        return rerun_in_user_namespace(again, err);
    }
    // The build's own mount namespace: the overlayfs mounts of stage roots vanish with the
    // process however it ends, and are never seen by the host. (Multi-threaded callers get
    // EINVAL and keep the host's; the executor unmounts what it mounted either way.)
    if (::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0)
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    struct SecretCleanup {
        BuildCommand& cmd;
        ~SecretCleanup() {
            for (const auto& f : cmd.secret_files) ::unlink(f.c_str());
        }
    } cleanup{cmd};
    try {
        stage_secrets(cmd);
    } catch (const std::runtime_error& e) {
        err << "envbuilder build: " << e.what() << '\n';
        return 2;
    }
    // With --progress json, stdout carries only JSON lines; the human lines go to stderr.
    std::ostream& json_out = out;
    std::ostream& human = cmd.json_progress ? err : out;
    std::vector<std::string> pushed_refs;
    fs::path failed_file;
    try {
        std::vector<oci::Reference> targets = parse_images(cmd.images);
        Source source = find_source(cmd, human);
        cmd.options.on_transfer = nullptr;
        oci::BlobStore store(cmd.cache_dir);
        store.remove_abandoned_temporaries();
        // One platform's image, or the index of several platforms' images.
        std::variant<oci::StoredImage, oci::StoredIndex> result;
        std::optional<oci::Reference> origin;  // where a pulled image came from (for mounts)
        // A configuration's features are fetched, checked and ordered before anything is built.
        std::optional<executor::DevcontainerBuild> devcontainer;
        if (source.config) {
            registry::RegistryClient client(cmd.options);
            ConfigFeatures planned =
                plan_config_features(*source.config, source.config_file, *source.substitution,
                                     client, store, cmd.cache_dir, nullptr);
            for (const auto& note : planned.notes) human << "note: " << note << '\n';
            devcontainer = devcontainer_build(source, planned);
        }
        // An image configuration with features or metadata is built as the CLI builds it: the
        // image, each feature on top, then the label. Without either, the image is the result.
        TemporaryDockerfile image_dockerfile;
        if (source.image && devcontainer &&
            (!devcontainer->features.empty() || !devcontainer->metadata_entries.back().empty())) {
            human << "building image " << *source.image << " with the configuration's "
                  << (devcontainer->features.empty() ? "metadata" : "features") << '\n';
            source.dockerfile = image_dockerfile.write("FROM " + *source.image + "\n");
            source.context = source.dockerfile.parent_path();
            source.image.reset();
        }
        if (source.image) {
            // An image-based devcontainer: the image is the result, unchanged.
            if (cmd.platforms.size() > 1)
                throw std::runtime_error(
                    "a devcontainer \"image\" is passed through as it is, "
                    "for one platform; give --platform one");
            std::string image = cmd.base_image ? *cmd.base_image : *source.image;
            if (cmd.base_image)
                human << "--base-image: image " << *source.image << " replaced by " << image
                      << '\n';
            const oci::Platform platform = cmd.platform ? *cmd.platform : oci::host_platform();
            std::optional<registry::PulledImage> local =
                registry::load_layout_image(image, platform, store);
            registry::PulledImage pulled;
            if (local) {
                pulled = *local;
            } else {
                auto parsed = oci::parse_reference(image);
                if (auto* e = oci::get_error(parsed))
                    throw std::runtime_error("image '" + image + "': " + e->message);
                cmd.options.on_transfer = progress_printer(human);
                registry::RegistryClient client(cmd.options);
                pulled =
                    registry::pull_image(client, std::get<oci::Reference>(parsed), platform, store);
                origin = pulled.ref;
            }
            human << "image " << pulled.ref.familiar() << " " << pulled.manifest.digest.str()
                  << " from " << pulled.manifest.source << '\n';
            result = registry::stored_image(pulled);
        } else {
            executor::BuildRequest request = build_request(cmd, source);
            if (devcontainer) request.devcontainer = std::move(*devcontainer);
            failed_file = source.dockerfile;
            request.on_event = cmd.json_progress ? json_event_printer(json_out)
                                                 : event_printer(human, ::isatty(1) == 1);
            human << "building " << source.dockerfile.string() << " (context "
                  << source.context.string() << ")\n";
            if (cmd.platforms.size() > 1) {
                std::vector<oci::PlatformImage> images;
                for (const auto& platform : cmd.platforms) {
                    human << "platform " << platform.str() << '\n';
                    request.platform = platform;
                    images.push_back({platform, executor::build_image(request)});
                }
                result = oci::build_image_index(images);
            } else {
                result = static_cast<oci::StoredImage>(executor::build_image(request));
            }
        }
        const oci::Descriptor& top = std::visit(
            [](const auto& r) -> const oci::Descriptor& { return descriptor_of(r); }, result);
        const oci::Digest digest = top.digest;
        // The top manifest is kept in the store too: a later pull of what was pushed finds it.
        store.put_bytes(std::visit(
            [](const auto& r) -> const std::string& { return manifest_bytes(r); }, result));
        if (!cmd.oci_layout.empty()) {
            std::string tag = targets.empty()
                                  ? "latest"
                                  : (targets[0].digest.empty() ? targets[0].tag : "latest");
            std::visit([&](const auto& r) { oci::write_oci_layout(cmd.oci_layout, r, store, tag); },
                       result);
            human << "wrote OCI layout " << cmd.oci_layout.string() << " (" << tag << ")\n";
        }
        if (!cmd.tar.empty()) {
            std::vector<std::string> tags;
            for (const auto& ref : targets)
                if (ref.digest.empty()) tags.push_back(ref.familiar_name() + ":" + ref.tag);
            if (tags.empty()) tags.push_back("envbuilder/image:latest");
            // check_combination allows --tar with one platform only: the result is one image.
            oci::write_docker_archive(cmd.tar, std::get<oci::StoredImage>(result), store, tags);
            human << "wrote docker-archive " << cmd.tar.string() << " (" << tags[0] << ")\n";
        }
        if (cmd.push) {
            cmd.options.on_transfer = progress_printer(human);
            registry::RegistryClient client(cmd.options);
            for (const auto& ref : targets) {
                oci::Digest pushed =
                    std::holds_alternative<oci::StoredImage>(result)
                        ? registry::push_image(client, ref, std::get<oci::StoredImage>(result),
                                               store, origin)
                        : registry::push_image(client, ref, std::get<oci::StoredIndex>(result),
                                               store);
                human << "pushed " << ref.str() << "@" << pushed.str() << '\n';
                pushed_refs.push_back(ref.str() + "@" + pushed.str());
            }
        }
        if (!cmd.digest_file.empty()) {
            std::ofstream(cmd.digest_file) << digest.str() << '\n';
        }
        human << "image " << digest.str() << '\n';
        if (cmd.json_progress)
            json_out << json_text(nlohmann::json{
                            {"type", "result"}, {"digest", digest.str()}, {"pushed", pushed_refs}})
                     << std::endl;
        return 0;
    } catch (const executor::BuildError& e) {
        err << "envbuilder build: " << e.what() << '\n';
        if (cmd.json_progress) {
            nlohmann::json j = {
                {"type", "error"}, {"message", e.what()}, {"exitCode", e.exit_code}};
            if (e.range) {
                j["range"] = range_json(*e.range);
                j["file"] = (e.file.empty() ? failed_file : e.file).string();
            }
            json_out << json_text(j) << std::endl;
        }
        return 1;
    } catch (const std::exception& e) {
        err << "envbuilder build: " << e.what() << '\n';
        if (cmd.json_progress)
            json_out << json_text(nlohmann::json{{"type", "error"}, {"message", e.what()}})
                     << std::endl;
        return 1;
    }
}

}  // namespace envbuilder::cli
