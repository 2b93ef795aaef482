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

#include <nlohmann/json.hpp>

#include "cli/registry_options.h"
#include "cli/user_namespace.h"
#include "devcontainer/devcontainer.h"
#include "devcontainer/find_configs.h"
#include "executor/build.h"
#include "oci/docker_archive.h"
#include "registry/image_pull.h"
#include "syntax/json_text.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: envbuilder build [--workspace DIR] --image REF [options]\n"
    "  --workspace DIR          the folder with .devcontainer/devcontainer.json or "
    ".devcontainer.json\n"
    "                           (default: the current directory)\n"
    "  --devcontainer PATH      use this devcontainer.json\n"
    "  --dockerfile PATH        build this Dockerfile instead of a devcontainer's\n"
    "  --context DIR            the build context (default: the devcontainer's, or the "
    "Dockerfile's folder)\n"
    "  --image REF              where to push the result (repeatable: every tag is pushed)\n"
    "  --base-image REF         replace the image the final stage is built on (no file is "
    "changed)\n"
    "  --build-arg NAME=VALUE   set a build argument (repeatable; wins over build.args)\n"
    "  --target STAGE           build this stage (default: build.target, else the last)\n"
    "  --no-push                do not push; write --oci-layout instead (or only fill the cache)\n"
    "  --oci-layout DIR         also write the image as an OCI image layout\n"
    "  --tar PATH               also write it as a docker-archive (docker load / podman load)\n"
    "  --digest-file PATH       write the image manifest's digest here\n"
    "  --no-cache               run every step, ignoring cached layers\n"
    "  --allow security.insecure\n"
    "                           let RUN --security=insecure steps run unconfined (every\n"
    "                           capability, no seccomp filter, writable /proc/sys and /sys)\n"
    "  --secret id=ID,src=FILE  a secret for RUN --mount=type=secret (also id=ID,env=VAR);\n"
    "                           never stored in the image or the cache\n"
    "  --platform P[,P...]      build for these platforms (default: this host's); several\n"
    "                           give one image per platform under one image index\n"
    "  --compression gzip|zstd  layer compression (default gzip)\n"
    "  --snapshotter auto|overlayfs|scan\n"
    "                           how each step's changes are found: overlayfs (the upper\n"
    "                           directory is the diff; needs root) or scanning the tree\n"
    "                           (default auto: overlayfs where it can be mounted)\n"
    "  --max-layer-size SIZE    the most one image layer may unpack to (default 32G; K, M, G)\n"
    "  --max-unpacked-size SIZE the most all layers of the build may unpack to (default 64G)\n"
    "  --reproducible           timestamps from SOURCE_DATE_EPOCH (0 when unset): identical "
    "images\n"
    "                           from identical inputs\n";

struct BuildCommand : RegistrySettings {
    fs::path workspace = ".";
    fs::path devcontainer, dockerfile, context, oci_layout, digest_file, tar;
    std::vector<std::string> images;
    std::optional<std::string> base_image, target;
    std::map<std::string, std::string> build_args;
    std::map<std::string, fs::path> secrets;
    std::vector<fs::path> secret_files;  // written from environment variables; removed at exit
    bool push = true, no_cache = false, reproducible = false, json_progress = false;
    bool allow_security_insecure = false;  // --allow security.insecure
    layers::Compression compression = layers::Compression::gzip;
    build::Snapshotter snapshotter = build::Snapshotter::automatic;
    layers::UnpackLimits unpack_limits;  // --max-layer-size, --max-unpacked-size
    // --platform with several platforms (a,b): one build each, pushed as one image index
    std::vector<oci::Platform> platforms;
};

std::string parse(const std::vector<std::string>& args, BuildCommand& cmd) {
    static_cast<RegistrySettings&>(cmd) = default_registry_settings();
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        // A list of platforms is the build's own (pull and inspect take one).
        std::string platforms;
        if (a.rfind("--platform=", 0) == 0) platforms = a.substr(11);
        if (a == "--platform" && i + 1 < args.size()) platforms = args[i + 1];
        if (platforms.find(',') != std::string::npos) {
            std::istringstream list(platforms);
            for (std::string one; std::getline(list, one, ',');) {
                std::string problem;
                auto parsed = oci::parse_platform(one, &problem);
                if (!parsed) return "--platform: " + problem;
                for (const auto& seen : cmd.platforms)
                    if (seen.str() == parsed->str()) return "--platform names " + one + " twice";
                cmd.platforms.push_back(*parsed);
            }
            if (a == "--platform") ++i;
            continue;
        }
        if (auto problem = parse_registry_option(args, i, cmd)) {
            if (!problem->empty()) return *problem;
            continue;
        }
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        std::optional<std::string> v;
        auto need = [&](const char* what) -> std::string { return a + " needs " + what; };
        if (a == "--workspace") {
            if (!(v = value())) return need("a directory");
            cmd.workspace = *v;
        } else if (a == "--devcontainer") {
            if (!(v = value())) return need("a path");
            cmd.devcontainer = *v;
        } else if (a == "--dockerfile") {
            if (!(v = value())) return need("a path");
            cmd.dockerfile = *v;
        } else if (a == "--context") {
            if (!(v = value())) return need("a directory");
            cmd.context = *v;
        } else if (a == "--image") {
            if (!(v = value())) return need("an image reference");
            cmd.images.push_back(*v);
        } else if (a == "--base-image") {
            if (!(v = value())) return need("an image reference");
            cmd.base_image = *v;
        } else if (a == "--build-arg") {
            if (!(v = value())) return need("NAME=VALUE");
            size_t eq = v->find('=');
            if (eq == std::string::npos) {
                // Docker takes the value from the environment when only a name is given.
                const char* env = std::getenv(v->c_str());
                if (!env)
                    return "--build-arg " + *v + ": no value given and none in the environment";
                cmd.build_args[*v] = env;
            } else {
                cmd.build_args[v->substr(0, eq)] = v->substr(eq + 1);
            }
        } else if (a == "--secret") {
            if (!(v = value())) return need("id=ID,src=FILE or id=ID,env=VAR");
            std::map<std::string, std::string> fields;
            std::stringstream parts(*v);
            for (std::string part; std::getline(parts, part, ',');) {
                size_t eq = part.find('=');
                if (eq == std::string::npos) return "--secret: '" + part + "' is not KEY=VALUE";
                fields[part.substr(0, eq)] = part.substr(eq + 1);
            }
            std::string id = fields["id"];
            if (id.empty()) return "--secret needs id=ID";
            if (!fields["src"].empty() || !fields["source"].empty()) {
                fs::path src = !fields["src"].empty() ? fields["src"] : fields["source"];
                if (!fs::is_regular_file(src))
                    return "--secret " + id + ": " + src.string() + " is not a file";
                cmd.secrets[id] = fs::absolute(src);
            } else if (!fields["env"].empty()) {
                const char* secret = std::getenv(fields["env"].c_str());
                if (!secret) return "--secret " + id + ": $" + fields["env"] + " is not set";
                char path[] = "/dev/shm/envbuilder-secret-XXXXXX";
                int fd = ::mkstemp(path);
                if (fd < 0) return "--secret " + id + ": cannot hold it in /dev/shm";
                ::fchmod(fd, 0600);
                (void)!::write(fd, secret, std::strlen(secret));
                ::close(fd);
                cmd.secrets[id] = path;
                cmd.secret_files.emplace_back(path);
            } else {
                return "--secret " + id + " needs src=FILE or env=VAR";
            }
        } else if (a == "--target") {
            if (!(v = value())) return need("a stage name");
            cmd.target = *v;
        } else if (a == "--no-push") {
            cmd.push = false;
        } else if (a == "--oci-layout") {
            if (!(v = value())) return need("a directory");
            cmd.oci_layout = *v;
        } else if (a == "--tar") {
            if (!(v = value())) return need("a path");
            cmd.tar = *v;
        } else if (a == "--digest-file") {
            if (!(v = value())) return need("a path");
            cmd.digest_file = *v;
        } else if (a == "--progress") {
            if (!(v = value())) return need("plain or json");
            if (*v != "plain" && *v != "json")
                return "--progress takes plain or json, got '" + *v + "'";
            cmd.json_progress = *v == "json";
        } else if (a == "--no-cache") {
            cmd.no_cache = true;
        } else if (a == "--allow") {
            if (!(v = value())) return need("an entitlement (security.insecure)");
            if (*v != "security.insecure")
                return "--allow takes security.insecure, got '" + *v +
                       "' (network.host is not needed: RUN uses the host network unless "
                       "--network=none)";
            cmd.allow_security_insecure = true;
        } else if (a == "--reproducible") {
            cmd.reproducible = true;
        } else if (a == "--compression") {
            if (!(v = value())) return need("gzip or zstd");
            if (*v == "gzip")
                cmd.compression = layers::Compression::gzip;
            else if (*v == "zstd")
                cmd.compression = layers::Compression::zstd;
            else
                return "--compression takes gzip or zstd, got '" + *v + "'";
        } else if (a == "--snapshotter") {
            if (!(v = value())) return need("auto, overlayfs or scan");
            if (*v == "auto")
                cmd.snapshotter = build::Snapshotter::automatic;
            else if (*v == "overlayfs")
                cmd.snapshotter = build::Snapshotter::overlayfs;
            else if (*v == "scan")
                cmd.snapshotter = build::Snapshotter::scan;
            else
                return "--snapshotter takes auto, overlayfs or scan, got '" + *v + "'";
        } else if (a == "--max-layer-size" || a == "--max-unpacked-size") {
            if (!(v = value())) return need("a size such as 32G");
            std::string problem;
            auto size = layers::parse_byte_size(*v, &problem);
            if (!size) return a + ": " + problem;
            (a == "--max-layer-size" ? cmd.unpack_limits.max_layer_bytes
                                     : cmd.unpack_limits.max_total_bytes) = *size;
        } else {
            return "unknown option '" + a + "'";
        }
    }
    if (cmd.push && cmd.images.empty()) return "--image is required (or --no-push)";
    if (cmd.platforms.size() > 1 && !cmd.tar.empty())
        return "--tar writes one platform's image; with several platforms use --oci-layout or "
               "push";
    return "";
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
std::function<void(const build::BuildEvent&)> event_printer(std::ostream& out, bool terminal) {
    auto transfers = progress_printer(out);
    // On a terminal, a step that printed nothing is finished on its own line: "[3/8] RUN … 1.2s".
    auto header_open = std::make_shared<bool>(false);
    return [&out, transfers, terminal, header_open](const build::BuildEvent& e) {
        using K = build::BuildEvent::Kind;
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
std::function<void(const build::BuildEvent&)> json_event_printer(std::ostream& out) {
    return [&out](const build::BuildEvent& e) {
        using K = build::BuildEvent::Kind;
        static const char* names[] = {"step_started", "step_finished", "output",
                                      "transfer",     "message",       "warning"};
        nlohmann::json j = {
            {"type", names[static_cast<int>(e.kind)]}, {"step", e.step}, {"steps", e.steps}};
        switch (e.kind) {
            case K::step_started:
            case K::step_finished:
                j["instruction"] = e.instruction;
                j["range"] = range_json(e.range);
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
    const auto& dc = analysis.config;
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

// The built (or pulled) image, wherever it should go.
struct Output {
    std::string manifest;  // an image manifest, or the index of `platforms`
    std::string media_type;
    oci::Descriptor config;
    std::vector<oci::Descriptor> layers;
    std::vector<Output> platforms;  // several platforms: each one's image
};

// The image index (OCI) of several platforms' images.
std::string image_index(const std::vector<Output>& images,
                        const std::vector<oci::Platform>& platforms) {
    nlohmann::json index = {{"schemaVersion", 2},
                            {"mediaType", oci::kMediaTypeImageIndex},
                            {"manifests", nlohmann::json::array()}};
    for (size_t i = 0; i < images.size(); ++i) {
        nlohmann::json platform = {{"architecture", platforms[i].architecture},
                                   {"os", platforms[i].os}};
        if (!platforms[i].variant.empty()) platform["variant"] = platforms[i].variant;
        index["manifests"].push_back({{"mediaType", images[i].media_type},
                                      {"digest", oci::digest_of(images[i].manifest).str()},
                                      {"size", images[i].manifest.size()},
                                      {"platform", platform}});
    }
    return index.dump();
}

}  // namespace

int run_build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
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
    BuildCommand cmd;
    struct SecretCleanup {
        BuildCommand& cmd;
        ~SecretCleanup() {
            for (const auto& f : cmd.secret_files) ::unlink(f.c_str());
        }
    } cleanup{cmd};
    if (std::string problem = parse(args, cmd); !problem.empty()) {
        err << "envbuilder build: " << problem << "\n" << kUsage << kRegistryOptionsHelp;
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
        Output result;
        std::optional<oci::Reference> origin;  // where a pulled image came from (for mounts)
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
            result = {pulled.manifest.body,
                      pulled.parsed.media_type,
                      pulled.parsed.config,
                      pulled.parsed.layers,
                      {}};
        } else {
            build::BuildRequest request;
            request.dockerfile = source.dockerfile;
            failed_file = source.dockerfile;
            request.context = source.context;
            request.build_args = source.args;
            for (const auto& [k, v] : cmd.build_args) request.build_args[k] = v;
            request.target = cmd.target ? *cmd.target : source.target;
            request.base_image = cmd.base_image;
            request.platform = cmd.platform;
            request.cache_dir = cmd.cache_dir;
            request.registry = cmd.options;
            request.compression = cmd.compression;
            request.snapshotter = cmd.snapshotter;
            request.unpack_limits = cmd.unpack_limits;
            request.no_cache = cmd.no_cache;
            request.allow_security_insecure = cmd.allow_security_insecure;
            request.secrets = cmd.secrets;
            if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
                try {
                    request.source_date_epoch = std::stoll(epoch);
                } catch (const std::exception&) {
                    throw std::runtime_error(
                        std::string("SOURCE_DATE_EPOCH must be a number of seconds, got '") +
                        epoch + "'");
                }
            } else if (cmd.reproducible) {
                request.source_date_epoch = 0;
            }
            request.on_event = cmd.json_progress ? json_event_printer(json_out)
                                                 : event_printer(human, ::isatty(1) == 1);
            human << "building " << source.dockerfile.string() << " (context "
                  << source.context.string() << ")\n";
            if (cmd.platforms.size() > 1) {
                for (const auto& platform : cmd.platforms) {
                    human << "platform " << platform.str() << '\n';
                    request.platform = platform;
                    build::BuiltImage built = build::build_image(request);
                    result.platforms.push_back({built.manifest,
                                                oci::kMediaTypeImageManifest,
                                                built.config,
                                                built.layers,
                                                {}});
                    store.put_bytes(built.manifest);
                }
                result.manifest = image_index(result.platforms, cmd.platforms);
                result.media_type = oci::kMediaTypeImageIndex;
            } else {
                build::BuiltImage built = build::build_image(request);
                result = {
                    built.manifest, oci::kMediaTypeImageManifest, built.config, built.layers, {}};
            }
        }
        oci::Digest digest = oci::digest_of(result.manifest);
        store.put_bytes(result.manifest);
        if (!cmd.oci_layout.empty()) {
            auto layout = oci::ImageLayout::create(cmd.oci_layout);
            for (const Output& part : result.platforms) {
                for (const auto& l : part.layers) layout.blobs().import_from(store, l.digest);
                layout.blobs().import_from(store, part.config.digest);
                layout.blobs().import_from(store, oci::digest_of(part.manifest));
            }
            for (const auto& l : result.layers) layout.blobs().import_from(store, l.digest);
            if (result.platforms.empty()) layout.blobs().import_from(store, result.config.digest);
            layout.blobs().import_from(store, digest);
            std::string tag = targets.empty()
                                  ? "latest"
                                  : (targets[0].digest.empty() ? targets[0].tag : "latest");
            layout.add_manifest({result.media_type,
                                 digest,
                                 result.manifest.size(),
                                 {{oci::kAnnotationRefName, tag}},
                                 {}});
            human << "wrote OCI layout " << cmd.oci_layout.string() << " (" << tag << ")\n";
        }
        if (!cmd.tar.empty()) {
            std::vector<std::string> tags;
            for (const auto& ref : targets)
                if (ref.digest.empty()) tags.push_back(ref.familiar_name() + ":" + ref.tag);
            if (tags.empty()) tags.push_back("envbuilder/image:latest");
            oci::write_docker_archive(cmd.tar, result.config, result.layers, store, tags);
            human << "wrote docker-archive " << cmd.tar.string() << " (" << tags[0] << ")\n";
        }
        if (cmd.push) {
            cmd.options.on_transfer = progress_printer(human);
            registry::RegistryClient client(cmd.options);
            for (const auto& ref : targets) {
                if (origin)
                    for (const auto& l : result.layers) client.remember_blob(*origin, l.digest);
                // Each platform's image by digest, then the index under the tag.
                for (const Output& part : result.platforms) {
                    std::vector<oci::Descriptor> blobs = part.layers;
                    blobs.push_back(part.config);
                    client.push_blobs(ref, blobs, store);
                    client.push_manifest(ref, oci::digest_of(part.manifest).str(), part.manifest,
                                         part.media_type);
                }
                if (result.platforms.empty()) {
                    std::vector<oci::Descriptor> blobs = result.layers;
                    blobs.push_back(result.config);
                    client.push_blobs(ref, blobs, store);
                }
                oci::Digest pushed =
                    client.push_manifest(ref, ref.digest.empty() ? ref.tag : ref.digest,
                                         result.manifest, result.media_type);
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
    } catch (const build::BuildError& e) {
        err << "envbuilder build: " << e.what() << '\n';
        if (cmd.json_progress) {
            nlohmann::json j = {
                {"type", "error"}, {"message", e.what()}, {"exitCode", e.exit_code}};
            if (e.range) {
                j["range"] = range_json(*e.range);
                j["file"] = failed_file.string();
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
