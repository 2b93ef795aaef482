#pragma once
// What devcontainer.json may contain: one table drives validation, hover and completion.
// Descriptions are written for this project; the facts (names, types, enums) follow the
// Development Container Specification.
#include <string_view>
#include <vector>

namespace envbuilder::devcontainer {

// The JSON shapes a property can take; each has one checker in validate.cpp.
enum class ValueShape {
    String,
    Boolean,
    PositiveInteger,      // an integer >= 1
    ByteSize,             // a string such as "8gb": digits with an optional tb/gb/mb/kb unit
    StringArray,
    StringOrStringArray,
    StringMap,            // object of name -> string
    NullableStringMap,    // object of name -> string or null
    Command,              // string | string[] | object of (string | string[])
    ForwardPorts,         // array of port numbers or "host:port" strings
    AppPort,              // port number | string | array of them
    Mounts,               // array of mount strings or mount objects
    Features,             // object of feature id -> options object | version string | boolean
    PortAttributesMap,    // object of port pattern -> port attributes object
    Object,               // object with a fixed set of members (`children`)
    FreeObject,           // any object
    Gpu,                  // true | false | "optional" | object with `children`
    Secrets,              // object of variable name -> object with `children`
};

struct PropertyInfo {
    std::string_view name;
    ValueShape shape;
    std::string_view type;         // for people, e.g. "string | string[]"
    std::string_view description;  // a sentence or two for hover
    std::vector<std::string_view> allowed_values = {};  // enum-like strings; empty = any
    std::string_view replaced_by = {};  // set when deprecated: what to use instead
    // Members of Object and Gpu shapes, and of each entry of PortAttributesMap, Secrets and the
    // object form of Mounts.
    const std::vector<PropertyInfo>* children = nullptr;

    bool deprecated() const { return !replaced_by.empty(); }
};

// The top-level properties of devcontainer.json, in a sensible reading order.
const std::vector<PropertyInfo>& devcontainer_properties();

// Looks a property up by its dotted path, e.g. "image", "build.dockerfile",
// "hostRequirements.gpu.cores". Map keys and array indexes in the path are skipped over, so
// "portsAttributes.3000.label" and "mounts.0.type" work too. nullptr when unknown.
const PropertyInfo* find_property(std::string_view path);

}  // namespace envbuilder::devcontainer
