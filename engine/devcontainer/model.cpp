// JSON tree -> typed model. Values of the wrong type are skipped here; validate.cpp reports them.
#include <cmath>
#include <limits>

#include "devcontainer/detail.h"

namespace envbuilder::devcontainer {

const Field<std::string>* Devcontainer::dockerfile() const {
    if (build && build->value.dockerfile) return &*build->value.dockerfile;
    if (docker_file) return &*docker_file;
    return nullptr;
}

const Field<std::string>* Devcontainer::build_context() const {
    if (build && build->value.context) return &*build->value.context;
    if (context) return &*context;
    return nullptr;
}

ImageSource Devcontainer::image_source() const {
    if (image) return ImageSource::Image;
    if (dockerfile()) return ImageSource::Dockerfile;
    if (docker_compose_file) return ImageSource::Compose;
    return ImageSource::None;
}

namespace detail {

namespace {

using jsonc::Member;
using jsonc::Value;

template <class T>
Field<T> field_of(const Member& m, T value) {
    return Field<T>{std::move(value), m.key_range, m.value.range};
}

void set_string(OptionalField<std::string>& out, const Member& m) {
    if (m.value.is_string()) out = field_of(m, m.value.string);
}

void set_bool(OptionalField<bool>& out, const Member& m) {
    if (m.value.is_bool()) out = field_of(m, m.value.boolean);
}

std::optional<int> as_int(const Value& v) {
    if (!v.is_integer()) return std::nullopt;
    if (v.number < std::numeric_limits<int>::min() || v.number > std::numeric_limits<int>::max())
        return std::nullopt;
    return static_cast<int>(v.number);
}

// A string, or (when `single_ok` is false) only an array: the string entries, in order.
std::optional<std::vector<Text>> string_list(const Value& v, bool single_ok) {
    std::vector<Text> out;
    if (v.is_string() && single_ok) {
        out.push_back({v.string, v.range});
    } else if (v.is_array()) {
        for (const Value& item : v.items) {
            if (item.is_string()) out.push_back({item.string, item.range});
        }
    } else {
        return std::nullopt;
    }
    return out;
}

void set_list(OptionalField<std::vector<Text>>& out, const Member& m, bool single_ok) {
    if (auto list = string_list(m.value, single_ok)) out = field_of(m, std::move(*list));
}

std::optional<std::vector<EnvVar>> env_map(const Value& v, bool null_ok) {
    if (!v.is_object()) return std::nullopt;
    std::vector<EnvVar> out;
    for (const Member& m : v.members) {
        if (m.value.is_string()) {
            out.push_back({m.key, m.key_range, m.value.string, m.value.range});
        } else if (m.value.is_null() && null_ok) {
            out.push_back({m.key, m.key_range, std::nullopt, m.value.range});
        }
    }
    return out;
}

void set_env(OptionalField<std::vector<EnvVar>>& out, const Member& m, bool null_ok) {
    if (auto env = env_map(m.value, null_ok)) out = field_of(m, std::move(*env));
}

std::optional<CommandLine> command_line(const Value& v) {
    if (v.is_string()) return CommandLine{v.string, {}, v.range};
    if (v.is_array()) {
        CommandLine line{std::nullopt, *string_list(v, false), v.range};
        return line;
    }
    return std::nullopt;
}

std::optional<LifecycleCommand> lifecycle_command(const Value& v) {
    LifecycleCommand command;
    if (v.is_object()) {
        for (const Member& m : v.members) {
            if (auto line = command_line(m.value)) command.parallel.push_back({m.key, m.key_range, std::move(*line)});
        }
        return command;
    }
    if (auto line = command_line(v)) {
        command.single = std::move(*line);
        return command;
    }
    return std::nullopt;
}

void set_command(OptionalField<LifecycleCommand>& out, const Member& m) {
    if (auto command = lifecycle_command(m.value)) out = field_of(m, std::move(*command));
}

std::optional<Mount> mount(const Value& v) {
    Mount out;
    out.range = v.range;
    if (v.is_string()) {
        out.spec = v.string;
        return out;
    }
    if (!v.is_object()) return std::nullopt;
    out.object_form = true;
    if (const Value* type = v.find("type"); type && type->is_string()) out.type = type->string;
    if (const Value* source = v.find("source"); source && source->is_string()) out.source = source->string;
    if (const Value* target = v.find("target"); target && target->is_string()) out.target = target->string;
    return out;
}

std::optional<Port> port(const Value& v) {
    if (v.is_string()) return Port{std::nullopt, v.string, v.range};
    if (auto number = as_int(v)) return Port{number, std::to_string(*number), v.range};
    return std::nullopt;
}

std::vector<Port> port_list(const Value& v) {
    std::vector<Port> out;
    if (v.is_array()) {
        for (const Value& item : v.items) {
            if (auto p = port(item)) out.push_back(std::move(*p));
        }
    } else if (auto p = port(v)) {
        out.push_back(std::move(*p));
    }
    return out;
}

PortAttributes port_attributes(const Value& v) {
    PortAttributes out;
    out.value_range = v.range;
    auto text = [&v](const char* key) -> std::optional<std::string> {
        const Value* x = v.find(key);
        return x && x->is_string() ? std::optional<std::string>(x->string) : std::nullopt;
    };
    auto flag = [&v](const char* key) -> std::optional<bool> {
        const Value* x = v.find(key);
        return x && x->is_bool() ? std::optional<bool>(x->boolean) : std::nullopt;
    };
    out.on_auto_forward = text("onAutoForward");
    out.label = text("label");
    out.protocol = text("protocol");
    out.elevate_if_needed = flag("elevateIfNeeded");
    out.require_local_port = flag("requireLocalPort");
    return out;
}

std::optional<GpuRequirement> gpu_requirement(const Value& v) {
    GpuRequirement gpu;
    if (v.is_bool()) {
        gpu.need = v.boolean ? GpuRequirement::Need::Required : GpuRequirement::Need::NotRequired;
    } else if (v.is_string() && v.string == "optional") {
        gpu.need = GpuRequirement::Need::Optional;
    } else if (v.is_object()) {
        gpu.need = GpuRequirement::Need::Required;
        if (const Value* cores = v.find("cores")) gpu.cores = as_int(*cores);
        if (const Value* memory = v.find("memory"); memory && memory->is_string()) gpu.memory = memory->string;
    } else {
        return std::nullopt;
    }
    return gpu;
}

HostRequirements host_requirements(const Value& v) {
    HostRequirements out;
    for (const Member& m : v.members) {
        if (m.key == "cpus") {
            if (auto cpus = as_int(m.value)) out.cpus = field_of(m, *cpus);
        } else if (m.key == "memory") {
            set_string(out.memory, m);
        } else if (m.key == "storage") {
            set_string(out.storage, m);
        } else if (m.key == "gpu") {
            if (auto gpu = gpu_requirement(m.value)) out.gpu = field_of(m, std::move(*gpu));
        }
    }
    return out;
}

BuildConfig build_config(const Value& v) {
    BuildConfig out;
    for (const Member& m : v.members) {
        if (m.key == "dockerfile") set_string(out.dockerfile, m);
        else if (m.key == "context") set_string(out.context, m);
        else if (m.key == "target") set_string(out.target, m);
        else if (m.key == "args") set_env(out.args, m, false);
        else if (m.key == "cacheFrom") set_list(out.cache_from, m, true);
        else if (m.key == "options") set_list(out.options, m, false);
    }
    return out;
}

std::vector<Feature> features(const Value& v) {
    std::vector<Feature> out;
    out.reserve(v.members.size());
    for (const Member& m : v.members) out.push_back({m.key, m.key_range, m.value});
    return out;
}

std::vector<Secret> secrets(const Value& v) {
    std::vector<Secret> out;
    for (const Member& m : v.members) {
        Secret s{m.key, m.key_range, std::nullopt, std::nullopt};
        if (const Value* d = m.value.find("description"); d && d->is_string()) s.description = d->string;
        if (const Value* u = m.value.find("documentationUrl"); u && u->is_string()) s.documentation_url = u->string;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

Devcontainer build_model(const Value& root) {
    Devcontainer c;
    if (!root.is_object()) return c;
    // Later duplicates overwrite earlier ones, as JSON.parse does.
    for (const Member& m : root.members) {
        const std::string& key = m.key;
        const Value& v = m.value;
        if (key == "$schema") set_string(c.schema, m);
        else if (key == "name") set_string(c.name, m);
        else if (key == "image") set_string(c.image, m);
        else if (key == "build") {
            if (v.is_object()) c.build = field_of(m, build_config(v));
        } else if (key == "dockerFile") set_string(c.docker_file, m);
        else if (key == "context") set_string(c.context, m);
        else if (key == "dockerComposeFile") set_list(c.docker_compose_file, m, true);
        else if (key == "service") set_string(c.service, m);
        else if (key == "runServices") set_list(c.run_services, m, false);
        else if (key == "features") {
            if (v.is_object()) c.features = field_of(m, features(v));
        } else if (key == "overrideFeatureInstallOrder") set_list(c.override_feature_install_order, m, false);
        else if (key == "containerEnv") set_env(c.container_env, m, false);
        else if (key == "remoteEnv") set_env(c.remote_env, m, true);
        else if (key == "containerUser") set_string(c.container_user, m);
        else if (key == "remoteUser") set_string(c.remote_user, m);
        else if (key == "updateRemoteUserUID") set_bool(c.update_remote_user_uid, m);
        else if (key == "userEnvProbe") set_string(c.user_env_probe, m);
        else if (key == "mounts") {
            if (v.is_array()) {
                std::vector<Mount> mounts;
                for (const Value& item : v.items) {
                    if (auto one = mount(item)) mounts.push_back(std::move(*one));
                }
                c.mounts = field_of(m, std::move(mounts));
            }
        } else if (key == "workspaceFolder") set_string(c.workspace_folder, m);
        else if (key == "workspaceMount") set_string(c.workspace_mount, m);
        else if (key == "runArgs") set_list(c.run_args, m, false);
        else if (key == "overrideCommand") set_bool(c.override_command, m);
        else if (key == "init") set_bool(c.init, m);
        else if (key == "privileged") set_bool(c.privileged, m);
        else if (key == "capAdd") set_list(c.cap_add, m, false);
        else if (key == "securityOpt") set_list(c.security_opt, m, false);
        else if (key == "shutdownAction") set_string(c.shutdown_action, m);
        else if (key == "forwardPorts") {
            if (v.is_array()) c.forward_ports = field_of(m, port_list(v));
        } else if (key == "appPort") {
            if (v.is_array() || v.is_string() || v.is_number()) c.app_port = field_of(m, port_list(v));
        } else if (key == "portsAttributes") {
            if (v.is_object()) {
                std::vector<PortAttributes> ports;
                for (const Member& entry : v.members) {
                    if (!entry.value.is_object()) continue;
                    PortAttributes attributes = port_attributes(entry.value);
                    attributes.port = entry.key;
                    attributes.key_range = entry.key_range;
                    ports.push_back(std::move(attributes));
                }
                c.ports_attributes = field_of(m, std::move(ports));
            }
        } else if (key == "otherPortsAttributes") {
            if (v.is_object()) {
                PortAttributes attributes = port_attributes(v);
                attributes.key_range = m.key_range;
                c.other_ports_attributes = field_of(m, std::move(attributes));
            }
        } else if (key == "initializeCommand") set_command(c.initialize_command, m);
        else if (key == "onCreateCommand") set_command(c.on_create_command, m);
        else if (key == "updateContentCommand") set_command(c.update_content_command, m);
        else if (key == "postCreateCommand") set_command(c.post_create_command, m);
        else if (key == "postStartCommand") set_command(c.post_start_command, m);
        else if (key == "postAttachCommand") set_command(c.post_attach_command, m);
        else if (key == "waitFor") set_string(c.wait_for, m);
        else if (key == "hostRequirements") {
            if (v.is_object()) c.host_requirements = field_of(m, host_requirements(v));
        } else if (key == "secrets") {
            if (v.is_object()) c.secrets = field_of(m, secrets(v));
        } else if (key == "customizations") {
            if (v.is_object()) c.customizations = field_of(m, v);
        }
    }
    return c;
}

}  // namespace detail

}  // namespace envbuilder::devcontainer
