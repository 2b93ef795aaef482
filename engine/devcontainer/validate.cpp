// Table-driven checks: JSON types, enum values, patterns, unknown and deprecated properties.
// The table (properties.cpp) says what a property is; here each shape knows how to check itself.
#include <algorithm>
#include <charconv>

#include "devcontainer/detail.h"
#include "devcontainer/devcontainer.h"

namespace envbuilder::devcontainer::detail {

namespace {

using jsonc::Member;
using jsonc::Value;
using S = ValueShape;

std::string join_path(const std::string& prefix, std::string_view name) {
    if (prefix.empty()) return std::string(name);
    std::string path = prefix;
    path += '.';
    path += name;
    return path;
}

std::string index_path(const std::string& prefix, size_t index) {
    return prefix + "[" + std::to_string(index) + "]";
}

std::string format_number(double n) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
    return ec == std::errc() ? std::string(buffer, end) : std::string("number");
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "<digits>" with an optional "tb", "gb", "mb" or "kb" (lowercase).
bool is_byte_size(std::string_view s) {
    size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    if (digits == 0) return false;
    std::string_view unit = s.substr(digits);
    return unit.empty() || unit == "tb" || unit == "gb" || unit == "mb" || unit == "kb";
}

// forwardPorts strings name another service's port: "<host>:<port>" with a lowercase host.
bool is_host_port(std::string_view s) {
    size_t colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view host = s.substr(0, colon);
    std::string_view port = s.substr(colon + 1);
    bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    return host_ok && all_digits(port) && port.size() <= 5;
}

bool is_env_name(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// The value of at most five digits (is_host_port made sure of that).
long port_number(std::string_view digits) {
    long value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
}

const PropertyInfo* find_in(const std::vector<PropertyInfo>& table, std::string_view name) {
    for (const PropertyInfo& p : table) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

class SchemaChecker {
public:
    explicit SchemaChecker(Reporter& report) : report_(report) {}

    void check_members(const Value& object, const std::vector<PropertyInfo>& table, const std::string& prefix) {
        for (const Member& m : object.members) {
            std::string path = join_path(prefix, m.key);
            const PropertyInfo* info = find_in(table, m.key);
            if (!info) {
                unknown_property(m, path, table);
                continue;
            }
            if (info->deprecated()) {
                report_.add(codes::DeprecatedProperty, Severity::Warning, m.key_range,
                            "\"" + path + "\" is deprecated: use \"" + std::string(info->replaced_by) + "\" instead");
            }
            check(*info, m.value, path);
        }
    }

private:
    void unknown_property(const Member& m, const std::string& path, const std::vector<PropertyInfo>& table) {
        std::vector<std::string_view> names;
        names.reserve(table.size());
        for (const PropertyInfo& p : table) names.push_back(p.name);
        std::string message = "Unknown property \"" + path + "\"";
        if (std::string_view guess = closest_match(m.key, names); !guess.empty())
            message += ": did you mean \"" + std::string(guess) + "\"?";
        report_.add(codes::UnknownProperty, Severity::Warning, m.key_range, std::move(message));
    }

    void wrong_type(const Value& v, const std::string& path, std::string_view expected) {
        report_.add(codes::InvalidType, Severity::Error, v.range,
                    "\"" + path + "\" must be " + std::string(expected) + ", got " + describe_got(v));
    }

    void invalid_value(const Value& v, const std::string& path, std::string_view rule, Severity severity = Severity::Error) {
        report_.add(codes::InvalidValue, severity, v.range, "\"" + path + "\" " + std::string(rule));
    }

    void check_enum(const Value& v, const std::string& path, const std::vector<std::string_view>& allowed) {
        if (allowed.empty() || std::find(allowed.begin(), allowed.end(), v.string) != allowed.end()) return;
        std::string message = "\"" + path + "\" must be " + quoted_list(allowed) + ", got \"" + v.string + "\"";
        if (std::string_view guess = closest_match(v.string, allowed); !guess.empty())
            message += ": did you mean \"" + std::string(guess) + "\"?";
        report_.add(codes::InvalidEnumValue, Severity::Error, v.range, std::move(message));
    }

    bool expect_string(const Value& v, const std::string& path) {
        if (v.is_string()) return true;
        if (!v.is_invalid()) wrong_type(v, path, "a string");
        return false;
    }

    void check_string_items(const Value& array, const std::string& path) {
        for (size_t i = 0; i < array.items.size(); ++i) expect_string(array.items[i], index_path(path, i));
    }

    void check_positive_integer(const Value& v, const std::string& path) {
        if (!v.is_number()) return wrong_type(v, path, "an integer");
        if (!v.is_integer()) return wrong_type(v, path, "an integer");
        if (v.number < 1) invalid_value(v, path, "must be at least 1, got " + format_number(v.number));
    }

    void check_byte_size(const Value& v, const std::string& path) {
        if (!expect_string(v, path)) return;
        if (!is_byte_size(v.string))
            invalid_value(v, path, "must be a size such as \"4gb\": digits with an optional tb, gb, mb or kb "
                                   "unit, got \"" + v.string + "\"");
    }

    void check_command(const Value& v, const std::string& path) {
        if (v.is_string()) return;
        if (v.is_array()) return check_string_items(v, path);
        if (v.is_object()) {
            for (const Member& m : v.members) {
                std::string entry = join_path(path, m.key);
                if (m.value.is_string()) continue;
                if (m.value.is_array()) check_string_items(m.value, entry);
                else if (!m.value.is_invalid()) wrong_type(m.value, entry, "a string or an array of strings");
            }
            return;
        }
        wrong_type(v, path, "a string, an array of strings or an object of named commands");
    }

    void check_port_number(const Value& item, const std::string& path) {
        if (!item.is_integer()) return wrong_type(item, path, "an integer port number or a string");
        if (item.number < 0 || item.number > 65535)
            invalid_value(item, path, "must be a port number from 0 to 65535, got " + format_number(item.number));
    }

    void check_forward_ports(const Value& v, const std::string& path) {
        if (!v.is_array()) return wrong_type(v, path, "an array of port numbers and \"host:port\" strings");
        for (size_t i = 0; i < v.items.size(); ++i) {
            const Value& item = v.items[i];
            std::string entry = index_path(path, i);
            if (item.is_number()) {
                check_port_number(item, entry);
            } else if (item.is_string()) {
                if (all_digits(item.string)) {
                    invalid_value(item, entry, "must be a number, not a string: write " + item.string + " without quotes");
                } else if (!is_host_port(item.string)) {
                    invalid_value(item, entry, "must be a port number or \"host:port\" (lowercase host, e.g. "
                                               "\"db:5432\"), got \"" + item.string + "\"");
                } else if (port_number(item.string.substr(item.string.rfind(':') + 1)) > 65535) {
                    invalid_value(item, entry, "has a port above 65535");
                }
            } else if (!item.is_invalid()) {
                wrong_type(item, entry, "a port number or a \"host:port\" string");
            }
        }
    }

    void check_app_port(const Value& v, const std::string& path) {
        if (v.is_string()) return;
        if (v.is_number()) return check_port_number(v, path);
        if (!v.is_array()) return wrong_type(v, path, "a port number, a string or an array of them");
        for (size_t i = 0; i < v.items.size(); ++i) {
            const Value& item = v.items[i];
            if (item.is_string() || item.is_invalid()) continue;
            if (item.is_number()) check_port_number(item, index_path(path, i));
            else wrong_type(item, index_path(path, i), "a port number or a string");
        }
    }

    // The string form goes to `docker run --mount` as is; only what Docker would reject for
    // sure is reported: no target, or an unknown type.
    void check_mount_string(const Value& v, const std::string& path) {
        bool has_target = false;
        std::string_view spec = v.string;
        while (!spec.empty()) {
            size_t comma = spec.find(',');
            std::string_view part = spec.substr(0, comma);
            spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
            size_t eq = part.find('=');
            std::string_view key = part.substr(0, eq);
            std::string_view value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
            if (key == "target" || key == "destination" || key == "dst") has_target = true;
            if (key == "type" && value.find("${") == std::string_view::npos) {
                static const std::vector<std::string_view> types = {"bind", "volume", "tmpfs", "npipe", "cluster"};
                if (std::find(types.begin(), types.end(), value) == types.end()) {
                    report_.add(codes::InvalidEnumValue, Severity::Error, v.range,
                                "\"" + path + "\" has mount type \"" + std::string(value) + "\": use " +
                                    quoted_list(types));
                }
            }
        }
        if (!has_target)
            invalid_value(v, path, "has no target: add target=<path in the container>");
    }

    void check_mounts(const PropertyInfo& info, const Value& v, const std::string& path) {
        if (!v.is_array()) return wrong_type(v, path, "an array of mount strings or objects");
        for (size_t i = 0; i < v.items.size(); ++i) {
            const Value& item = v.items[i];
            std::string entry = index_path(path, i);
            if (item.is_string()) {
                check_mount_string(item, entry);
            } else if (item.is_object()) {
                check_members(item, *info.children, entry);
                for (const char* required : {"type", "target"}) {
                    if (!item.find(required))
                        report_.add(codes::MissingProperty, Severity::Error, item.range,
                                    "\"" + entry + "\" needs \"" + required + "\"");
                }
            } else if (!item.is_invalid()) {
                wrong_type(item, entry, "a mount string or an object with type, source and target");
            }
        }
    }

    void check_features(const Value& v, const std::string& path) {
        if (!v.is_object()) return wrong_type(v, path, "an object of feature ids and their options");
        for (const Member& m : v.members) {
            std::string entry = join_path(path, m.key);
            const Value& options = m.value;
            if (options.is_string() || options.is_bool() || options.is_invalid()) continue;
            if (!options.is_object()) {
                wrong_type(options, entry, "an object of options, a version string or a boolean");
                continue;
            }
            for (const Member& option : options.members) {
                const Value& value = option.value;
                if (!value.is_string() && !value.is_bool() && !value.is_invalid())
                    wrong_type(value, join_path(entry, option.key), "a string or a boolean");
            }
        }
    }

    void check_gpu(const PropertyInfo& info, const Value& v, const std::string& path) {
        if (v.is_bool()) return;
        if (v.is_string()) {
            if (v.string != "optional")
                report_.add(codes::InvalidEnumValue, Severity::Error, v.range,
                            "\"" + path + "\" must be true, false, \"optional\" or an object, got \"" + v.string + "\"");
            return;
        }
        if (v.is_object()) return check_members(v, *info.children, path);
        wrong_type(v, path, "true, false, \"optional\" or an object");
    }

    void check_secrets(const PropertyInfo& info, const Value& v, const std::string& path) {
        if (!v.is_object()) return wrong_type(v, path, "an object");
        for (const Member& m : v.members) {
            std::string entry = join_path(path, m.key);
            if (!is_env_name(m.key))
                report_.add(codes::InvalidValue, Severity::Error, m.key_range,
                            "\"" + entry + "\" is not an environment variable name: use letters, digits and '_', "
                            "not starting with a digit");
            if (m.value.is_object()) check_members(m.value, *info.children, entry);
            else if (!m.value.is_invalid()) wrong_type(m.value, entry, "an object");
        }
    }

    void check(const PropertyInfo& info, const Value& v, const std::string& path) {
        if (v.is_invalid()) return;  // the syntax error already covers it
        switch (info.shape) {
            case S::String:
                if (expect_string(v, path)) check_enum(v, path, info.allowed_values);
                return;
            case S::Boolean:
                if (!v.is_bool()) wrong_type(v, path, "a boolean");
                return;
            case S::PositiveInteger: return check_positive_integer(v, path);
            case S::ByteSize: return check_byte_size(v, path);
            case S::StringArray:
                if (v.is_array()) check_string_items(v, path);
                else wrong_type(v, path, "an array of strings");
                return;
            case S::StringOrStringArray:
                if (v.is_array()) check_string_items(v, path);
                else if (!v.is_string()) wrong_type(v, path, "a string or an array of strings");
                return;
            case S::StringMap:
            case S::NullableStringMap: {
                if (!v.is_object()) return wrong_type(v, path, "an object");
                bool null_ok = info.shape == S::NullableStringMap;
                for (const Member& m : v.members) {
                    if (m.value.is_string() || m.value.is_invalid() || (null_ok && m.value.is_null())) continue;
                    wrong_type(m.value, join_path(path, m.key), null_ok ? "a string or null" : "a string");
                }
                return;
            }
            case S::Command: return check_command(v, path);
            case S::ForwardPorts: return check_forward_ports(v, path);
            case S::AppPort: return check_app_port(v, path);
            case S::Mounts: return check_mounts(info, v, path);
            case S::Features: return check_features(v, path);
            case S::PortAttributesMap:
                if (!v.is_object()) return wrong_type(v, path, "an object");
                for (const Member& m : v.members) {
                    std::string entry = join_path(path, m.key);
                    if (m.value.is_object()) check_members(m.value, *info.children, entry);
                    else if (!m.value.is_invalid()) wrong_type(m.value, entry, "an object");
                }
                return;
            case S::Object:
                if (v.is_object()) check_members(v, *info.children, path);
                else wrong_type(v, path, "an object");
                return;
            case S::FreeObject:
                if (!v.is_object()) wrong_type(v, path, "an object");
                return;
            case S::Gpu: return check_gpu(info, v, path);
            case S::Secrets: return check_secrets(info, v, path);
        }
    }

    Reporter& report_;
};

}  // namespace

void check_schema(const Value& root, Reporter& report) {
    if (!root.is_object()) {
        if (!root.is_invalid())
            report.add(codes::InvalidType, Severity::Error, root.range,
                       std::string("devcontainer.json must hold an object, got ") + describe_got(root));
        return;
    }
    SchemaChecker(report).check_members(root, devcontainer_properties(), "");
}

}  // namespace envbuilder::devcontainer::detail
