#include "cli/registry_commands.h"

#include "cli/registry_options.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "oci/layout.h"
#include "oci/manifest.h"
#include "registry/client.h"
#include "registry/image_pull.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct RegistryCommand : RegistrySettings {
    std::string reference;
    fs::path oci_layout;
};

const char* const kOptionsHelp = kRegistryOptionsHelp;

// Parses the shared options; returns an error message or "".
std::string parse(const std::vector<std::string>& args, bool allow_layout, RegistryCommand& cmd) {
    static_cast<RegistrySettings&>(cmd) = default_registry_settings();
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (auto problem = parse_registry_option(args, i, cmd)) {
            if (!problem->empty()) return *problem;
        } else if (a == "--oci-layout" && allow_layout) {
            if (i + 1 >= args.size()) return "--oci-layout needs a directory";
            cmd.oci_layout = args[++i];
        } else if (!a.empty() && a[0] == '-') {
            return "unknown option '" + a + "'";
        } else if (cmd.reference.empty()) {
            cmd.reference = a;
        } else {
            return "unexpected argument '" + a + "'";
        }
    }
    if (cmd.reference.empty()) return "no image reference given";
    return "";
}

using Resolved = registry::PulledImage;

// Resolves the command's reference (an index followed to the platform's manifest), with or
// without the layers, and says which source served the manifests.
Resolved resolve(registry::RegistryClient& client, const RegistryCommand& cmd,
                 oci::BlobStore& cache, std::ostream& log, bool layers) {
    auto parsed_ref = oci::parse_reference(cmd.reference);
    if (auto* e = oci::get_error(parsed_ref))
        throw std::runtime_error("invalid image reference '" + cmd.reference + "' at offset " +
                                 std::to_string(e->offset) + ": " + e->message);
    oci::Platform platform = cmd.platform ? *cmd.platform : oci::host_platform();
    Resolved r =
        registry::pull_image(client, std::get<oci::Reference>(parsed_ref), platform, cache, layers);
    if (!r.index_source.empty()) log << "index from " << r.index_source << '\n';
    log << "manifest " << r.manifest.digest.str() << " (" << platform.str() << ") from "
        << r.manifest.source << '\n';
    return r;
}

}  // namespace

int run_pull(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RegistryCommand cmd;
    if (std::string problem = parse(args, true, cmd); !problem.empty()) {
        err << "envbuilder pull: " << problem
            << "\nusage: envbuilder pull REF [--oci-layout DIR] [options]\n"
            << kOptionsHelp;
        return 2;
    }
    try {
        cmd.options.on_transfer = progress_printer(out);
        registry::RegistryClient client(cmd.options);
        oci::BlobStore cache(cmd.cache_dir);
        if (size_t n = cache.remove_abandoned_temporaries())
            out << "removed " << n << " partial download(s) left by an interrupted pull\n";
        Resolved r = resolve(client, cmd, cache, out, true);
        std::vector<oci::Descriptor> blobs{r.parsed.config};
        blobs.insert(blobs.end(), r.parsed.layers.begin(), r.parsed.layers.end());
        if (!cmd.oci_layout.empty()) {
            auto layout = oci::ImageLayout::create(cmd.oci_layout);
            for (const auto& blob : blobs) layout.blobs().import_from(cache, blob.digest);
            layout.blobs().import_from(cache, r.manifest.digest);
            oci::Descriptor d{
                r.parsed.media_type,
                r.manifest.digest,
                r.manifest.body.size(),
                {{oci::kAnnotationRefName, r.ref.digest.empty() ? r.ref.tag : r.ref.digest}},
                std::nullopt};
            layout.add_manifest(d);
            out << "wrote OCI layout " << cmd.oci_layout.string() << '\n';
        }
        out << "pulled " << r.ref.str() << " " << r.manifest.digest.str() << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "envbuilder pull: " << e.what() << '\n';
        return 1;
    }
}

// Pushes the image of an OCI layout: its one manifest, or the one whose ref name is REF's tag.
// An image index is pushed with every manifest it lists. Blobs the registry has are skipped; the
// tag is written last, so a failure never leaves the tag pointing at a partial image.
int run_push(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::vector<std::string> rest;
    std::string layout_dir;
    for (const auto& a : args) {
        if (layout_dir.empty() && !a.empty() && a[0] != '-')
            layout_dir = a;
        else
            rest.push_back(a);
    }
    RegistryCommand cmd;
    std::string problem =
        layout_dir.empty() ? "no OCI layout directory given" : parse(rest, false, cmd);
    if (!problem.empty()) {
        err << "envbuilder push: " << problem
            << "\nusage: envbuilder push OCI-LAYOUT-DIR REF [options]\n"
            << kOptionsHelp;
        return 2;
    }
    try {
        auto parsed_ref = oci::parse_reference(cmd.reference);
        if (auto* e = oci::get_error(parsed_ref))
            throw std::runtime_error("invalid image reference '" + cmd.reference +
                                     "': " + e->message);
        oci::Reference ref = std::get<oci::Reference>(parsed_ref);
        auto layout = oci::ImageLayout::open(layout_dir);
        std::optional<oci::Descriptor> top;
        if (layout.manifests().size() == 1)
            top = layout.manifests().front();
        else if (auto named = layout.find(ref.tag))
            top = named;
        if (!top)
            throw std::runtime_error(layout_dir + " holds " +
                                     std::to_string(layout.manifests().size()) +
                                     " images and none is named '" + ref.tag + "'");
        cmd.options.on_transfer = progress_printer(out);
        registry::RegistryClient client(cmd.options);
        // Pushes one image manifest's blobs, then the manifest by digest.
        auto push_manifest_tree = [&](const oci::Descriptor& d, auto& self) -> void {
            std::string body = layout.blobs().read(d.digest);
            auto doc = oci::parse_manifest_document(body, d.media_type);
            if (auto* error = std::get_if<oci::ManifestError>(&doc))
                throw std::runtime_error(error->message);
            if (auto* index = std::get_if<oci::Index>(&doc)) {
                for (const auto& child : index->manifests) self(child, self);
            } else {
                const auto& m = std::get<oci::Manifest>(doc);
                std::vector<oci::Descriptor> blobs{m.config};
                blobs.insert(blobs.end(), m.layers.begin(), m.layers.end());
                for (const auto& blob : blobs)
                    if (!layout.blobs().has(blob.digest))
                        throw std::runtime_error("blob " + blob.digest.str() + " is missing from " +
                                                 layout_dir);
                client.push_blobs(ref, blobs, layout.blobs());
            }
            if (d.digest != top->digest)
                client.push_manifest(ref, d.digest.str(), body, d.media_type);
        };
        push_manifest_tree(*top, push_manifest_tree);
        std::string body = layout.blobs().read(top->digest);
        std::string tag = ref.digest.empty() ? ref.tag : ref.digest;
        oci::Digest pushed = client.push_manifest(ref, tag, body, top->media_type);
        out << "pushed " << ref.str() << " " << pushed.str() << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "envbuilder push: " << e.what() << '\n';
        return 1;
    }
}

int run_inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RegistryCommand cmd;
    if (std::string problem = parse(args, false, cmd); !problem.empty()) {
        err << "envbuilder inspect: " << problem << "\nusage: envbuilder inspect REF [options]\n"
            << kOptionsHelp;
        return 2;
    }
    try {
        registry::RegistryClient client(cmd.options);
        std::ostringstream log;
        oci::BlobStore cache(cmd.cache_dir);
        Resolved r = resolve(client, cmd, cache, log, false);
        std::string config_source = client.pull_blob(r.ref, r.parsed.config, cache);
        json result = {{"reference", r.ref.str()},
                       {"digest", r.manifest.digest.str()},
                       {"mediaType", r.parsed.media_type},
                       {"manifest", json::parse(r.manifest.body)},
                       {"config", json::parse(cache.read(r.parsed.config.digest))},
                       {"sources", {{"manifest", r.manifest.source}, {"config", config_source}}}};
        if (!r.index_source.empty()) result["sources"]["index"] = r.index_source;
        out << result.dump(2) << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "envbuilder inspect: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace envbuilder::cli
