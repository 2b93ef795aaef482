#pragma once
// What the registry client reports while it moves blobs: which blob, which way, how far, and who
// served it. The CLI renders these as progress lines; a build turns them into its own event stream.
#include <cstdint>
#include <functional>
#include <string>

#include "oci/digest.h"

namespace envbuilder::registry {

struct TransferEvent {
    enum class Kind { started, progress, finished };
    enum class Direction { pull, push };
    // How a finished blob got where it is.
    enum class Outcome { transferred, cached, already_present, mounted };

    Kind kind = Kind::started;
    Direction direction = Direction::pull;
    oci::Digest digest;
    uint64_t size = 0;   // as the descriptor announces it
    uint64_t bytes = 0;  // moved so far (progress, finished)
    std::string source;  // the mirror or registry serving the blob; for a mount, the repository
                         // mounted from
    Outcome outcome = Outcome::transferred;
};

// Called from whichever thread moves the blob; the client never calls it from two threads at once.
using TransferObserver = std::function<void(const TransferEvent&)>;

}  // namespace envbuilder::registry
