#include "cli/registry_commands.h"

#include "cli/registry_options.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "cli/option_table.h"
#include "oci/layout.h"
#include "oci/manifest.h"
#include "oci/write_layout.h"
#include "registry/client.h"
#include "registry/image_pull.h"
#include "registry/image_push.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct RegistryCommand : RegistrySettings {
    std::string reference;
    fs::path oci_layout;
};

// The table of pull, push or inspect: the registry options, and pull's --oci-layout.
CommandTable command_table(const std::string& command, RegistryCommand& cmd) {
    static_cast<RegistrySettings&>(cmd) = default_registry_settings();
    CommandTable table;
    table.command = command;
    if (command == "pull") {
        table.synopsis = "REF [--oci-layout DIR] [options]";
        table.options.push_back({"--oci-layout", "DIR",
                                 "also write the image into this OCI image layout (under REF's "
                                 "tag)",
                                 false, [&cmd](const std::string& v) -> std::optional<std::string> {
                                     cmd.oci_layout = v;
                                     return std::nullopt;
                                 }});
        table.notes = "REF: the image, e.g. docker.io/library/alpine:3.20 or name@sha256:...\n";
    } else if (command == "push") {
        table.synopsis = "OCI-LAYOUT-DIR REF [options]";
        table.notes =
            "Pushes the layout's one image, or the one whose ref name is REF's tag; an image\n"
            "index is pushed with every image it lists. Blobs first, the tag last.\n";
    } else {
        table.synopsis = "REF [options]";
        table.notes =
            "Prints the image's manifest, config and which source served each, as JSON.\n";
    }
    add_registry_options(table.options, cmd);
    return table;
}

// Parses a registry command's arguments into `cmd`: `positionals` names what the command takes
// (REF, or DIR then REF). Returns the exit code when the command should not go on.
std::optional<int> parse(const std::string& command, const std::vector<std::string>& args,
                         const std::vector<std::string>& positionals, RegistryCommand& cmd,
                         std::string& layout_dir, std::ostream& out, std::ostream& err) {
    CommandTable table = command_table(command, cmd);
    ParseOutcome outcome = parse_options(table, args);
    if (outcome.problem.empty() && !outcome.help) {
        const auto& given = outcome.positionals;
        if (given.size() < positionals.size())
            outcome.problem = "no " + positionals[given.size()] + " given";
        else if (given.size() > positionals.size())
            outcome.problem = "unexpected argument '" + given[positionals.size()] + "'";
        else {
            cmd.reference = given.back();
            if (given.size() == 2) layout_dir = given.front();
        }
    }
    return finish_parsing(table, outcome, out, err);
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

// One image manifest of the layout, with its blobs checked present (a push must not fail
// half-way on a blob it could have found missing up front).
oci::StoredImage layout_manifest(oci::ImageLayout& layout, const oci::Descriptor& d,
                                 const oci::Manifest& m, const std::string& layout_dir) {
    oci::StoredImage image{layout.blobs().read(d.digest), d, m.config, m.layers};
    image.manifest_descriptor.platform.reset();
    image.manifest_descriptor.annotations.clear();
    for (const auto& blob : m.layers)
        if (!layout.blobs().has(blob.digest))
            throw std::runtime_error("blob " + blob.digest.str() + " is missing from " +
                                     layout_dir);
    if (!layout.blobs().has(m.config.digest))
        throw std::runtime_error("blob " + m.config.digest.str() + " is missing from " +
                                 layout_dir);
    return image;
}

// What `top` names in the layout: an image, or an index of images.
std::variant<oci::StoredImage, oci::StoredIndex> layout_image(oci::ImageLayout& layout,
                                                              const oci::Descriptor& top,
                                                              const std::string& layout_dir) {
    auto parse_document = [&](const oci::Descriptor& d) {
        auto doc = oci::parse_manifest_document(layout.blobs().read(d.digest), d.media_type);
        if (auto* error = std::get_if<oci::ManifestError>(&doc))
            throw std::runtime_error(layout_dir + ": " + d.digest.str() + ": " + error->message);
        return doc;
    };
    auto doc = parse_document(top);
    if (auto* manifest = std::get_if<oci::Manifest>(&doc))
        return layout_manifest(layout, top, *manifest, layout_dir);
    oci::StoredIndex index{layout.blobs().read(top.digest), top, {}};
    index.descriptor.annotations.clear();
    for (const auto& child : std::get<oci::Index>(doc).manifests) {
        auto child_doc = parse_document(child);
        auto* manifest = std::get_if<oci::Manifest>(&child_doc);
        if (!manifest)
            throw std::runtime_error(layout_dir + ": the index lists another index (" +
                                     child.digest.str() +
                                     "); only an index of image manifests can be pushed");
        index.images.push_back(layout_manifest(layout, child, *manifest, layout_dir));
    }
    return index;
}

}  // namespace

int run_pull(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RegistryCommand cmd;
    std::string unused;
    if (auto code = parse("pull", args, {"image reference"}, cmd, unused, out, err)) return *code;
    try {
        cmd.options.on_transfer = progress_printer(out);
        registry::RegistryClient client(cmd.options);
        oci::BlobStore cache(cmd.cache_dir);
        if (size_t n = cache.remove_abandoned_temporaries())
            out << "removed " << n << " partial download(s) left by an interrupted pull\n";
        Resolved r = resolve(client, cmd, cache, out, true);
        if (!cmd.oci_layout.empty()) {
            oci::write_oci_layout(cmd.oci_layout, registry::stored_image(r), cache,
                                  r.ref.digest.empty() ? r.ref.tag : r.ref.digest);
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
    RegistryCommand cmd;
    std::string layout_dir;
    if (auto code = parse("push", args, {"OCI layout directory", "image reference"}, cmd,
                          layout_dir, out, err))
        return *code;
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
        std::variant<oci::StoredImage, oci::StoredIndex> stored =
            layout_image(layout, *top, layout_dir);
        oci::Digest pushed = std::visit(
            [&](const auto& image) {
                return registry::push_image(client, ref, image, layout.blobs());
            },
            stored);
        out << "pushed " << ref.str() << " " << pushed.str() << '\n';
        return 0;
    } catch (const std::exception& e) {
        err << "envbuilder push: " << e.what() << '\n';
        return 1;
    }
}

int run_inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RegistryCommand cmd;
    std::string unused;
    if (auto code = parse("inspect", args, {"image reference"}, cmd, unused, out, err))
        return *code;
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
