#pragma once
// An image config (application/vnd.oci.image.config.v1+json, and Docker's
// application/vnd.docker.container.image.v1+json) as typed fields: what the OCI image spec
// defines, with Docker's extensions to the execution parameters (Healthcheck, Shell, OnBuild,
// ArgsEscaped). A config is content-addressed, so reading and writing one must not change a
// byte: every member keeps whether it was absent, null or a value, and members we do not model
// (Docker's container_config and docker_version, a runtime's own keys, at any level) are kept in
// `extra` and written back.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace envbuilder::oci {

// A member as the document had it: absent, null, or a value. `"Entrypoint": null` and no
// Entrypoint are different bytes, so a different digest; Docker writes the null where a new
// ENTRYPOINT clears the inherited CMD.
template <class T>
class Field {
  public:
    Field() = default;
    Field(T value) : state_(State::set), value_(std::move(value)) {}  // NOLINT: a value converts

    bool has_value() const { return state_ == State::set; }
    bool is_null() const { return state_ == State::null; }
    bool present() const { return state_ != State::absent; }
    explicit operator bool() const { return has_value(); }

    // The value; only when has_value().
    const T& operator*() const { return value_; }
    T& operator*() { return value_; }
    const T* operator->() const { return &value_; }
    T* operator->() { return &value_; }
    const T* get() const { return has_value() ? &value_ : nullptr; }
    T* get() { return has_value() ? &value_ : nullptr; }
    T value_or(T fallback) const { return has_value() ? value_ : std::move(fallback); }

    // The value, an empty one first when absent or null (to add to a list or map).
    T& make() {
        if (!has_value()) *this = T{};
        return value_;
    }
    Field& operator=(T value) {
        value_ = std::move(value);
        state_ = State::set;
        return *this;
    }
    void set_null() {
        value_ = T{};
        state_ = State::null;
    }
    void reset() {
        value_ = T{};
        state_ = State::absent;
    }

    friend bool operator==(const Field&, const Field&) = default;

  private:
    enum class State : uint8_t { absent, null, set };
    State state_ = State::absent;
    T value_{};
};

// ExposedPorts and Volumes: sets, written as Go writes a map[string]struct{} ({"80/tcp": {}}).
// The keys are the set; each value (an object, the spec says empty) is kept as it came.
using KeySet = std::map<std::string, nlohmann::json>;

// The members of an object that no field models, by name, written back as they came.
using Extra = std::map<std::string, nlohmann::json>;

// config.Healthcheck (Docker's extension): durations in nanoseconds.
struct Healthcheck {
    Field<std::vector<std::string>> test;  // ["NONE"], ["CMD", args...], ["CMD-SHELL", command]
    Field<int64_t> interval, timeout, start_period, start_interval;
    Field<int64_t> retries;
    Extra extra;
    friend bool operator==(const Healthcheck&, const Healthcheck&) = default;
};

// "config": the execution parameters a container of the image starts with.
struct ContainerConfig {
    Field<std::string> user;
    Field<KeySet> exposed_ports;
    Field<std::vector<std::string>> env;  // "NAME=value"
    Field<std::vector<std::string>> entrypoint, cmd;
    Field<KeySet> volumes;
    Field<std::string> working_dir;
    Field<std::map<std::string, std::string>> labels;
    Field<std::string> stop_signal;
    Field<bool> args_escaped;
    Field<Healthcheck> healthcheck;
    Field<std::vector<std::string>> shell;
    Field<std::vector<std::string>> on_build;
    Extra extra;  // Docker's Hostname, Tty, Image, ... and anything else
    friend bool operator==(const ContainerConfig&, const ContainerConfig&) = default;
};

struct RootFs {
    Field<std::string> type;                   // "layers"
    Field<std::vector<std::string>> diff_ids;  // one per layer, in order
    Extra extra;
    friend bool operator==(const RootFs&, const RootFs&) = default;
};

struct HistoryEntry {
    Field<std::string> created, created_by, author, comment;
    Field<bool> empty_layer;
    Extra extra;
    friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

struct ImageConfig {
    Field<std::string> created;  // RFC 3339
    Field<std::string> author;
    Field<std::string> architecture, os;
    Field<std::string> os_version;                // "os.version"
    Field<std::vector<std::string>> os_features;  // "os.features"
    Field<std::string> variant;
    Field<ContainerConfig> config;
    Field<RootFs> rootfs;
    Field<std::vector<HistoryEntry>> history;
    Extra extra;  // container_config, docker_version, ...
    friend bool operator==(const ImageConfig&, const ImageConfig&) = default;
};

// `j` read as an image config; nullopt with `problem` naming the member of the wrong type
// ("config.Env[2] must be a string, not a number"). Never throws.
std::optional<ImageConfig> image_config_from_json(const nlohmann::json& j,
                                                  std::string* problem = nullptr);

// The config as JSON: what it was read from, member for member, with the changes made since.
nlohmann::json to_json(const ImageConfig& config);
nlohmann::json to_json(const Healthcheck& check);

}  // namespace envbuilder::oci
