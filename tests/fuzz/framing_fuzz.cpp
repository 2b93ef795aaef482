// libFuzzer target: the LSP framing and JSON-RPC reading, on any byte stream cut into reads at
// places the input chooses. Every complete body is parsed as a message, as the server does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    // The first byte sets the size of each read (1..256 bytes), the rest is the stream.
    const size_t chunk = static_cast<size_t>(data[0]) + 1;
    std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
    envbuilder::protocol::MessageReader reader(4096);
    size_t fed = 0;
    for (size_t at = 0; at < stream.size(); at += chunk) {
        std::string_view piece = stream.substr(at, chunk);
        reader.feed(piece);
        fed += piece.size();
        while (auto event = reader.next()) {
            if (event->kind == envbuilder::protocol::MessageReader::Event::Kind::Message)
                (void)envbuilder::protocol::parse_message(event->body);
            else if (event->problem.empty())
                __builtin_trap();  // every framing problem must say what it was
        }
        // The reader never holds more than it was given.
        if (reader.pending() > fed) __builtin_trap();
    }
    return 0;
}
