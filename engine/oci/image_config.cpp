#include "oci/image_config.h"

#include <limits>
#include <type_traits>

namespace envbuilder::oci {

using nlohmann::json;

namespace {

// `f(name, field)` for each pair of the list.
template <class F>
void each(F&) {}
template <class F, class Field, class... Rest>
void each(F& f, const char* name, Field& field, Rest&... rest) {
    f(name, field);
    each(f, rest...);
}

// Each object's modeled members, once, for reading and writing alike.
template <class C, class F>
void members_of(C& c, F&& f) {
    using T = std::remove_const_t<C>;
    if constexpr (std::is_same_v<T, Healthcheck>)
        each(f, "Test", c.test, "Interval", c.interval, "Timeout", c.timeout, "StartPeriod",
             c.start_period, "StartInterval", c.start_interval, "Retries", c.retries);
    if constexpr (std::is_same_v<T, ContainerConfig>)
        each(f, "User", c.user, "ExposedPorts", c.exposed_ports, "Env", c.env, "Entrypoint",
             c.entrypoint, "Cmd", c.cmd, "Volumes", c.volumes, "WorkingDir", c.working_dir,
             "Labels", c.labels, "StopSignal", c.stop_signal, "ArgsEscaped", c.args_escaped,
             "Healthcheck", c.healthcheck, "Shell", c.shell, "OnBuild", c.on_build);
    if constexpr (std::is_same_v<T, RootFs>) each(f, "type", c.type, "diff_ids", c.diff_ids);
    if constexpr (std::is_same_v<T, HistoryEntry>)
        each(f, "created", c.created, "created_by", c.created_by, "author", c.author, "comment",
             c.comment, "empty_layer", c.empty_layer);
    if constexpr (std::is_same_v<T, ImageConfig>)
        each(f, "created", c.created, "author", c.author, "architecture", c.architecture, "os",
             c.os, "os.version", c.os_version, "os.features", c.os_features, "variant", c.variant,
             "config", c.config, "rootfs", c.rootfs, "history", c.history);
}

template <class T>
constexpr bool is_object_type =
    std::is_same_v<T, Healthcheck> || std::is_same_v<T, ContainerConfig> ||
    std::is_same_v<T, RootFs> || std::is_same_v<T, HistoryEntry> || std::is_same_v<T, ImageConfig>;

// Thrown inside the reader only; image_config_from_json turns it into `problem`.
struct WrongType {
    std::string message;
};

const char* type_name(const json& j) {
    switch (j.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "a number";
        case json::value_t::number_float:
            return "a fractional number";
        default:
            return "not JSON";
    }
}

[[noreturn]] void wrong_type(const std::string& path, const char* wanted, const json& j) {
    throw WrongType{path + " must be " + wanted + ", not " + type_name(j)};
}

// Declared first: the containers' readers call the objects' and the other way round.
template <class T>
void read(const json& j, std::vector<T>& out, const std::string& path);
template <class T>
void read(const json& j, std::map<std::string, T>& out, const std::string& path);
template <class T>
requires is_object_type<T>
void read(const json& j, T& out, const std::string& path);
template <class T>
json write(const std::vector<T>& values);
template <class T>
json write(const std::map<std::string, T>& values);
template <class T>
requires is_object_type<T> json write(const T& object);

void read(const json& j, std::string& out, const std::string& path) {
    if (!j.is_string()) wrong_type(path, "a string", j);
    out = j.get_ref<const std::string&>();
}

void read(const json& j, bool& out, const std::string& path) {
    if (!j.is_boolean()) wrong_type(path, "true or false", j);
    out = j.get<bool>();
}

void read(const json& j, int64_t& out, const std::string& path) {
    if (!j.is_number_integer()) wrong_type(path, "a whole number", j);
    if (j.is_number_unsigned() &&
        j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        throw WrongType{path + " is out of range (" + j.dump() + ")"};
    out = j.get<int64_t>();
}

void read(const json& j, json& out, const std::string& path) {
    // A set's value: Go reads it into struct{}, which takes an object or null.
    if (!j.is_object() && !j.is_null()) wrong_type(path, "an object", j);
    out = j;
}

template <class T>
void read(const json& j, std::vector<T>& out, const std::string& path) {
    if (!j.is_array()) wrong_type(path, "an array", j);
    out.resize(j.size());
    for (size_t i = 0; i < j.size(); ++i) read(j[i], out[i], path + "[" + std::to_string(i) + "]");
}

template <class T>
void read(const json& j, std::map<std::string, T>& out, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object", j);
    for (auto it = j.begin(); it != j.end(); ++it)
        read(it.value(), out[it.key()], path + "." + it.key());
}

template <class T>
requires is_object_type<T>
void read(const json& j, T& out, const std::string& path) {
    if (!j.is_object()) wrong_type(path, "an object", j);
    std::map<std::string, bool> modeled;
    members_of(out, [&](const char* name, auto& field) {
        modeled[name] = true;
        auto member = j.find(name);
        if (member == j.end()) return;
        if (member->is_null()) {
            field.set_null();
            return;
        }
        read(*member, field.make(), path.empty() ? std::string(name) : path + "." + name);
    });
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!modeled.count(it.key())) out.extra[it.key()] = it.value();
}

json write(const std::string& v) {
    return v;
}
json write(bool v) {
    return v;
}
json write(int64_t v) {
    return v;
}
json write(const json& v) {
    return v;
}

template <class T>
json write(const std::vector<T>& values) {
    json out = json::array();
    for (const auto& v : values) out.push_back(write(v));
    return out;
}

template <class T>
json write(const std::map<std::string, T>& values) {
    json out = json::object();
    for (const auto& [key, v] : values) out[key] = write(v);
    return out;
}

template <class T>
requires is_object_type<T> json write(const T& object) {
    json out = json::object();
    for (const auto& [key, value] : object.extra) out[key] = value;
    members_of(object, [&](const char* name, const auto& field) {
        if (field.is_null())
            out[name] = nullptr;
        else if (field.has_value())
            out[name] = write(*field);
    });
    return out;
}

}  // namespace

std::optional<ImageConfig> image_config_from_json(const json& j, std::string* problem) {
    ImageConfig config;
    try {
        if (!j.is_object())
            throw WrongType{std::string("the image config must be an object, not ") + type_name(j)};
        read(j, config, "");
    } catch (const WrongType& e) {
        if (problem) *problem = e.message;
        return std::nullopt;
    }
    return config;
}

json to_json(const ImageConfig& config) {
    return write(config);
}
json to_json(const Healthcheck& check) {
    return write(check);
}

}  // namespace envbuilder::oci
