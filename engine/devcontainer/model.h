#pragma once
// The typed devcontainer.json model. It is built leniently: a property whose value has the wrong
// JSON type is left out here (validation reports it), everything else is kept with the ranges of
// its name and value so that hover, go-to-definition and quick fixes can point at the source.
#include <optional>
#include <string>
#include <vector>

#include "syntax/jsonc.h"
#include "syntax/source_text.h"

namespace envbuilder::devcontainer {

// A string as written (decoded), with the range of its JSON value (quotes included).
struct Text {
    std::string value;
    Range range;
};

// A property that was present: its value plus where its name and its value are.
template <class T>
struct Field {
    T value{};
    Range key_range;
    Range value_range;
};

template <class T>
using OptionalField = std::optional<Field<T>>;

// One entry of containerEnv, remoteEnv or build.args.
struct EnvVar {
    std::string name;
    Range name_range;
    std::optional<std::string> value;  // null (remoteEnv only) removes the variable
    Range value_range;
};

struct BuildConfig {
    OptionalField<std::string> dockerfile;
    OptionalField<std::string> context;
    OptionalField<std::string> target;
    OptionalField<std::vector<EnvVar>> args;
    OptionalField<std::vector<Text>> cache_from;  // a single string becomes one entry
    OptionalField<std::vector<Text>> options;
};

struct Feature {
    std::string id;  // as written: an OCI reference, ./local path or https tarball URL
    Range id_range;
    // The value as written: an object of options, a version string, or a boolean.
    jsonc::Value options;
};

// One command line: the string form runs in a shell, the array form runs without one.
struct CommandLine {
    std::optional<std::string> shell;
    std::vector<Text> args;
    Range range;
};

struct NamedCommand {
    std::string name;
    Range name_range;
    CommandLine command;
};

// A lifecycle command: one command line, or (object form) named commands run in parallel.
struct LifecycleCommand {
    std::optional<CommandLine> single;
    std::vector<NamedCommand> parallel;
};

struct Mount {
    Range range;
    bool object_form = false;
    std::string spec;  // string form: passed to `docker run --mount` unchanged
    std::string type;  // object form: "bind" or "volume"
    std::string source;
    std::string target;
};

// A forwardPorts / appPort entry: a port number, or a string such as "db:5432" or "8000:8010".
struct Port {
    std::optional<int> number;
    std::string text;
    Range range;
};

struct PortAttributes {
    std::string port;  // "3000", "40000-55000" or a regex; empty for otherPortsAttributes
    Range key_range;
    Range value_range;
    std::optional<std::string> on_auto_forward;
    std::optional<std::string> label;
    std::optional<std::string> protocol;
    std::optional<bool> elevate_if_needed;
    std::optional<bool> require_local_port;
};

struct GpuRequirement {
    enum class Need { Required, NotRequired, Optional };
    Need need = Need::Required;
    std::optional<int> cores;
    std::optional<std::string> memory;
};

struct HostRequirements {
    OptionalField<int> cpus;
    OptionalField<std::string> memory;
    OptionalField<std::string> storage;
    OptionalField<GpuRequirement> gpu;
};

struct Secret {
    std::string name;
    Range name_range;
    std::optional<std::string> description;
    std::optional<std::string> documentation_url;
};

// Where the container comes from.
enum class ImageSource { None, Image, Dockerfile, Compose };

struct Devcontainer {
    OptionalField<std::string> schema;  // "$schema"
    OptionalField<std::string> name;

    // Image sources: exactly one of image, build.dockerfile (or dockerFile), dockerComposeFile.
    OptionalField<std::string> image;
    OptionalField<BuildConfig> build;
    OptionalField<std::string> docker_file;  // deprecated spelling of build.dockerfile
    OptionalField<std::string> context;      // deprecated spelling of build.context
    OptionalField<std::vector<Text>> docker_compose_file;  // a single string becomes one entry
    OptionalField<std::string> service;
    OptionalField<std::vector<Text>> run_services;

    OptionalField<std::vector<Feature>> features;
    OptionalField<std::vector<Text>> override_feature_install_order;

    OptionalField<std::vector<EnvVar>> container_env;
    OptionalField<std::vector<EnvVar>> remote_env;
    OptionalField<std::string> container_user;
    OptionalField<std::string> remote_user;
    OptionalField<bool> update_remote_user_uid;
    OptionalField<std::string> user_env_probe;

    OptionalField<std::vector<Mount>> mounts;
    OptionalField<std::string> workspace_folder;
    OptionalField<std::string> workspace_mount;
    OptionalField<std::vector<Text>> run_args;
    OptionalField<bool> override_command;
    OptionalField<bool> init;
    OptionalField<bool> privileged;
    OptionalField<std::vector<Text>> cap_add;
    OptionalField<std::vector<Text>> security_opt;
    OptionalField<std::string> shutdown_action;

    OptionalField<std::vector<Port>> forward_ports;
    OptionalField<std::vector<Port>> app_port;  // deprecated: forwardPorts replaces it
    OptionalField<std::vector<PortAttributes>> ports_attributes;
    OptionalField<PortAttributes> other_ports_attributes;

    OptionalField<LifecycleCommand> initialize_command;
    OptionalField<LifecycleCommand> on_create_command;
    OptionalField<LifecycleCommand> update_content_command;
    OptionalField<LifecycleCommand> post_create_command;
    OptionalField<LifecycleCommand> post_start_command;
    OptionalField<LifecycleCommand> post_attach_command;
    OptionalField<std::string> wait_for;

    OptionalField<HostRequirements> host_requirements;
    OptionalField<std::vector<Secret>> secrets;
    OptionalField<jsonc::Value> customizations;  // free-form, per tool

    // The Dockerfile property in effect: build.dockerfile, else the deprecated dockerFile.
    const Field<std::string>* dockerfile() const;
    // The build context in effect: build.context, else the deprecated top-level context.
    const Field<std::string>* build_context() const;
    // What the container is created from (the first source present, in spec order).
    ImageSource image_source() const;
};

}  // namespace envbuilder::devcontainer
