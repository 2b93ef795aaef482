// libFuzzer target: image references (FROM lines, --tag, COPY --from), on any bytes. A reference
// that parses must print as text that parses back to the same reference.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oci/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = envbuilder::oci::parse_reference(text);
    if (const auto* error = envbuilder::oci::get_error(result)) {
        if (error->message.empty() || error->offset > size) __builtin_trap();
        return 0;
    }
    const auto& ref = *envbuilder::oci::get_reference(result);
    (void)ref.familiar();
    (void)ref.registry_host();
    auto again = envbuilder::oci::parse_reference(ref.str());
    const auto* round_trip = envbuilder::oci::get_reference(again);
    if (!round_trip || round_trip->str() != ref.str()) __builtin_trap();
    return 0;
}
