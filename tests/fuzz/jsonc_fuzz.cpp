// libFuzzer target: the JSONC parser of devcontainer.json, both its fast route and the
// tree-sitter route it falls back to, on any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "syntax/jsonc.h"
#include "syntax/source_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const envbuilder::SourceText text(std::string(reinterpret_cast<const char*>(data), size));
    envbuilder::jsonc::Document fast = envbuilder::jsonc::parse(text);
    envbuilder::jsonc::Document slow = envbuilder::jsonc::parse_with_tree_sitter(text);
    // Both routes must agree on whether there is a value at all.
    if (fast.root.has_value() != slow.root.has_value()) __builtin_trap();
    return 0;
}
