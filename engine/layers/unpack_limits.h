#pragma once
// How much a layer, and a whole build, may unpack. A layer is a compressed tar: a few MiB of
// gzip can stand for tens of GiB of zeros, so its unpacked size is counted as it is decompressed
// and the unpacking stops at the limit instead of filling the disk.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::layers {

// Large enough for any honest image (the biggest CUDA and ML bases unpack to 20 GiB or so in
// total), small enough that a bomb stops long before a usual disk fills.
inline constexpr uint64_t kDefaultMaxLayerSize = 32ull << 30;     // 32 GiB
inline constexpr uint64_t kDefaultMaxUnpackedSize = 64ull << 30;  // 64 GiB

struct UnpackLimits {
    uint64_t max_layer_bytes = kDefaultMaxLayerSize;    // one layer's uncompressed tar stream
    uint64_t max_total_bytes = kDefaultMaxUnpackedSize;  // every layer one build unpacks
};

// "32G", "512M", "1024K", "4096" (bytes): binary units, case-insensitive, an optional "iB"/"B"
// after the unit. nullopt with `problem` set when it is not such a size (or is 0, or overflows).
std::optional<uint64_t> parse_byte_size(std::string_view text, std::string* problem = nullptr);

// "32 GiB", "1.5 MiB", "300 bytes": for messages.
std::string describe_bytes(uint64_t bytes);

// What one build has unpacked so far, shared by every layer it applies (from several threads).
class UnpackBudget {
  public:
    explicit UnpackBudget(UnpackLimits limits = {}) : limits_(limits) {}
    const UnpackLimits& limits() const { return limits_; }
    uint64_t used() const { return used_.load(); }

    // Counts `bytes` more of the build; false when that takes the build over its limit (the
    // bytes are counted all the same: the build stops either way).
    bool charge(uint64_t bytes) { return used_.fetch_add(bytes) + bytes <= limits_.max_total_bytes; }

  private:
    UnpackLimits limits_;
    std::atomic<uint64_t> used_{0};
};

}  // namespace envbuilder::layers
