// The documentation of every instruction flag and of the values they take (mount types and
// keys, network and security modes, platforms), for hover and completion. Which flags exist is
// syntax/instruction_flags.cpp's table; tests keep the two in step.
#include <array>

#include "language/dockerfile_docs.h"

namespace envbuilder::language::docs {

using dockerfile::InstructionKind;

namespace {

// Text shared by COPY and ADD.
constexpr std::string_view kChownSummary = "Owner of the copied files: user[:group], names or ids";
constexpr std::string_view kChownDoc = R"md(**--chown=<user>[:<group>]**

Gives the copied files this owner instead of root (`0:0`). Names are looked up in the stage's `/etc/passwd` and `/etc/group`; numeric ids need no lookup. Without a group, the user's primary group is used.

```dockerfile
COPY --chown=app:app config/ /etc/app/
```)md";
constexpr std::string_view kChmodSummary = "Permissions of the copied files (octal, e.g. 755)";
constexpr std::string_view kChmodDoc = R"md(**--chmod=<mode>**

Sets the permission bits of the copied files and directories, in octal (`0644`, `755`). Recent Dockerfile syntaxes also accept symbolic modes such as `u=rwX,go=rX`.

```dockerfile
COPY --chmod=755 entrypoint.sh /usr/local/bin/
```)md";
constexpr std::string_view kLinkSummary =
    "Copy into an independent layer that survives base changes";
constexpr std::string_view kLinkDoc = R"md(**--link**

Puts the copied files in a layer of their own that does not depend on the layers below it. When an earlier step changes, the layer can be reused instead of copied again, and images can be rebased onto a new base without rebuilding it. The files cannot rely on what the earlier layers contain (for example symlinked destination directories).

```dockerfile
COPY --link --from=build /out/app /app
```)md";
constexpr std::string_view kExcludeSummary = "Leave out paths matching a pattern (repeatable)";
constexpr std::string_view kExcludeDoc = R"md(**--exclude=<pattern>**

Skips sources matching the pattern (the same syntax as `.dockerignore`). The flag may be given several times. Needs a recent Dockerfile syntax (it started out in the labs channel).

```dockerfile
COPY --exclude=*.md --exclude=tests/ . /src
```)md";

constexpr std::array kFlags = {
    FlagDoc{InstructionKind::From, "platform", "Platform of the base image: os/arch[/variant]",
            R"md(**--platform=<os>/<arch>[/<variant>]**

Picks which variant of a multi-platform base image the stage uses, for example `linux/arm64`. Without the flag the build's target platform is used. A common pattern runs build tools natively and cross-compiles for the target:

```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app
```)md"},
    FlagDoc{InstructionKind::Run, "mount",
            "Lend the command a cache, secret, SSH agent, tmpfs or other stage",
            R"md(**--mount=type=<type>[,<key>=<value>...]**

Attaches something to the filesystem of this one command; it is not part of the resulting layer. May be given several times.

**Types**
- `bind` (default): files of the build context or of another stage/image (`from=`), read-only unless `rw`; writes are thrown away
- `cache`: a directory kept between builds, for package manager and compiler caches
- `tmpfs`: an empty in-memory directory
- `secret`: a secret passed with `docker build --secret`, as a file (`/run/secrets/<id>` by default) or an environment variable; never stored in the image
- `ssh`: a socket to the SSH agent passed with `docker build --ssh`

**Keys**
- `target` (`dst`, `destination`): where the mount appears
- `source` (`src`): the path inside `from` to mount (bind, cache)
- `from`: stage, image or named context to take files from (bind, cache)
- `ro` (`readonly`) / `rw` (`readwrite`): write access
- `id`: identity of the cache, secret or SSH socket
- `sharing`: `shared`, `private` or `locked` access to a cache by parallel builds
- `mode`, `uid`, `gid`: permissions and owner of the cache directory, secret file or socket
- `required`: fail when the secret or SSH agent was not provided
- `env`: expose the secret as this environment variable (secret)
- `size`: size limit (tmpfs)

```dockerfile
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    pip install -r requirements.txt
```)md"},
    FlagDoc{InstructionKind::Run, "network", "Network of the command: default, none or host",
            R"md(**--network=<mode>**

Chooses the network the command runs in:
- `default`: the builder's normal network
- `none`: no network at all, which proves the step needs nothing from outside
- `host`: the host's network; the builder must allow the `network.host` entitlement

```dockerfile
RUN --network=none make test
```)md"},
    FlagDoc{InstructionKind::Run, "security", "Sandbox of the command: sandbox or insecure",
            R"md(**--security=<mode>**

- `sandbox` (default): the usual restricted container
- `insecure`: runs with elevated privileges, like `docker run --privileged`; the builder must allow the `security.insecure` entitlement

```dockerfile
RUN --security=insecure mount -t tmpfs none /mnt
```)md"},
    FlagDoc{InstructionKind::Run, "device", "Make a CDI device available to the command",
            R"md(**--device=<name>[,required]**

Gives the command access to a device that the builder describes with the Container Device Interface (CDI), for example a GPU: `vendor.com/class=name`. May be given several times. Needs a builder and Dockerfile syntax that support devices.

```dockerfile
RUN --device=nvidia.com/gpu=all nvidia-smi
```)md"},
    FlagDoc{InstructionKind::Copy, "from", "Copy from a stage, an image or a named context",
            R"md(**--from=<stage|image|context>**

Takes the sources from somewhere else than the build context: a stage of this Dockerfile (by name, or by index counting from 0), any image reference, or a named context given to the build (`--build-context`).

```dockerfile
COPY --from=build /out/app /usr/local/bin/app
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
```)md"},
    FlagDoc{InstructionKind::Copy, "chown", kChownSummary, kChownDoc},
    FlagDoc{InstructionKind::Copy, "chmod", kChmodSummary, kChmodDoc},
    FlagDoc{InstructionKind::Copy, "link", kLinkSummary, kLinkDoc},
    FlagDoc{InstructionKind::Copy, "parents",
            "Keep the sources' parent directories under the destination",
            R"md(**--parents**

Recreates the path of each source below the destination instead of copying only its last component, so `COPY --parents ./a/b/file /out/` writes `/out/a/b/file`. Needs a recent Dockerfile syntax (it started out in the labs channel).

```dockerfile
COPY --parents ./services/*/package.json /src/
```)md"},
    FlagDoc{InstructionKind::Copy, "exclude", kExcludeSummary, kExcludeDoc},
    FlagDoc{InstructionKind::Add, "chown", kChownSummary, kChownDoc},
    FlagDoc{InstructionKind::Add, "chmod", kChmodSummary, kChmodDoc},
    FlagDoc{InstructionKind::Add, "link", kLinkSummary, kLinkDoc},
    FlagDoc{InstructionKind::Add, "keep-git-dir",
            "Keep the .git directory of an added git repository",
            R"md(**--keep-git-dir**

When the source is a git repository, keeps its `.git` directory in the destination (it is left out by default), for tools that need the history or `git describe`.

```dockerfile
ADD --keep-git-dir https://github.com/acme/app.git#main /src
```)md"},
    FlagDoc{InstructionKind::Add, "checksum", "Digest the downloaded source must match",
            R"md(**--checksum=<algorithm>:<digest>**

Verifies a remote source before using it and fails the build on a mismatch, so a changed download cannot slip in. Use `sha256:...` for URLs; for git sources newer syntaxes accept the commit hash.

```dockerfile
ADD --checksum=sha256:24454f830cdd... https://example.com/tool.tar.gz /opt/
```)md"},
    FlagDoc{InstructionKind::Add, "exclude", kExcludeSummary, kExcludeDoc},
    FlagDoc{InstructionKind::Add, "unpack", "Whether archive sources are extracted",
            R"md(**--unpack[=<true|false>]**

Overrides whether `ADD` extracts an archive: `--unpack=false` copies a local tarball as a file, `--unpack=true` also extracts an archive downloaded from a URL (which is otherwise copied as is). Needs a recent Dockerfile syntax.

```dockerfile
ADD --unpack=false release.tar.gz /dist/
```)md"},
    FlagDoc{InstructionKind::Healthcheck, "interval", "Time between checks (default 30s)",
            R"md(**--interval=<duration>**

How long to wait between two checks, counted from the end of the previous one. Durations are written like `30s`, `1m30s`, `500ms`. Default `30s`.)md"},
    FlagDoc{InstructionKind::Healthcheck, "timeout",
            "Time a check may take before it fails (default 30s)",
            R"md(**--timeout=<duration>**

A check that has not finished after this long counts as failed. Default `30s`.)md"},
    FlagDoc{InstructionKind::Healthcheck, "start-period", "Start-up grace period (default 0s)",
            R"md(**--start-period=<duration>**

Time the application gets to start: failures during this period do not count towards `--retries`, while a success ends the period early. Default `0s`.)md"},
    FlagDoc{InstructionKind::Healthcheck, "start-interval",
            "Time between checks during the start period (default 5s)",
            R"md(**--start-interval=<duration>**

Interval used while the start period lasts, so that a quickly starting container is reported healthy soon. Default `5s`; needs a recent Docker Engine.)md"},
    FlagDoc{InstructionKind::Healthcheck, "retries",
            "Failures in a row before unhealthy (default 3)",
            R"md(**--retries=<n>**

Number of consecutive failed checks after which the container is reported unhealthy. Default `3`.)md"},
};

constexpr std::array kMountTypes = {
    ValueDoc{"bind", "Files of the context or of another stage (default; read-only)"},
    ValueDoc{"cache", "Directory kept between builds, for package and compiler caches"},
    ValueDoc{"tmpfs", "Empty in-memory directory"},
    ValueDoc{"secret", "Secret passed with docker build --secret, as a file or env var"},
    ValueDoc{"ssh", "Socket to the SSH agent passed with docker build --ssh"},
};

constexpr std::array kMountKeys = {
    ValueDoc{"type", "bind (default), cache, tmpfs, secret or ssh", ""},
    ValueDoc{"target", "Where the mount appears (also dst, destination)", ""},
    ValueDoc{"source", "Path inside `from` to mount (also src)", "bind cache"},
    ValueDoc{"from", "Stage, image or named context to take files from", "bind cache"},
    ValueDoc{"ro", "Read-only (also readonly)", "bind cache"},
    ValueDoc{"rw", "Writable; writes are discarded afterwards (also readwrite)", "bind"},
    ValueDoc{"id", "Identity of the cache, secret or SSH socket", "cache secret ssh"},
    ValueDoc{"sharing", "Cache access by parallel builds: shared, private or locked", "cache"},
    ValueDoc{"mode", "Permission bits, octal", "cache secret ssh"},
    ValueDoc{"uid", "Owner user id", "cache secret ssh"},
    ValueDoc{"gid", "Owner group id", "cache secret ssh"},
    ValueDoc{"required", "Fail when the secret or SSH agent is missing", "secret ssh"},
    ValueDoc{"env", "Expose the secret as this environment variable", "secret"},
    ValueDoc{"size", "Size limit of the tmpfs", "tmpfs"},
};

constexpr std::array kSharing = {
    ValueDoc{"shared", "Parallel builds use the cache at the same time (default)"},
    ValueDoc{"private", "A parallel build gets a new cache of its own"},
    ValueDoc{"locked", "A parallel build waits until the cache is released"},
};

constexpr std::array kNetworkModes = {
    ValueDoc{"default", "The builder's normal network"},
    ValueDoc{"none", "No network access"},
    ValueDoc{"host", "The host's network (needs the network.host entitlement)"},
};

constexpr std::array kSecurityModes = {
    ValueDoc{"sandbox", "The usual restricted container (default)"},
    ValueDoc{"insecure", "Elevated privileges (needs the security.insecure entitlement)"},
};

constexpr std::array kHealthcheckSubcommands = {
    ValueDoc{"CMD", "Check health by running a command"},
    ValueDoc{"NONE", "Turn off a health check inherited from the base image"},
};

constexpr std::array kPlatformArgs = {
    ValueDoc{"BUILDPLATFORM", "Platform of the machine running the build, e.g. linux/amd64"},
    ValueDoc{"BUILDOS", "OS of the build platform, e.g. linux"},
    ValueDoc{"BUILDARCH", "Architecture of the build platform, e.g. amd64"},
    ValueDoc{"BUILDVARIANT", "Variant of the build platform, e.g. v7 (often empty)"},
    ValueDoc{"TARGETPLATFORM", "Platform the image is built for, e.g. linux/arm64"},
    ValueDoc{"TARGETOS", "OS of the target platform, e.g. linux"},
    ValueDoc{"TARGETARCH", "Architecture of the target platform, e.g. arm64"},
    ValueDoc{"TARGETVARIANT", "Variant of the target platform, e.g. v7 (often empty)"},
};

constexpr std::array kPlatforms = {
    ValueDoc{"linux/amd64", "64-bit x86"},
    ValueDoc{"linux/arm64", "64-bit ARM"},
    ValueDoc{"linux/arm/v7", "32-bit ARM v7"},
    ValueDoc{"$BUILDPLATFORM", "The platform of the machine running the build"},
    ValueDoc{"$TARGETPLATFORM", "The platform the image is built for"},
};

}  // namespace

const FlagDoc* flag(InstructionKind kind, std::string_view name) {
    for (const FlagDoc& f : kFlags)
        if (f.kind == kind && f.name == name) return &f;
    return nullptr;
}

std::span<const FlagDoc> flags() {
    return kFlags;
}
std::span<const ValueDoc> mount_types() {
    return kMountTypes;
}
std::span<const ValueDoc> mount_keys() {
    return kMountKeys;
}
std::span<const ValueDoc> mount_sharing_modes() {
    return kSharing;
}
std::span<const ValueDoc> network_modes() {
    return kNetworkModes;
}
std::span<const ValueDoc> security_modes() {
    return kSecurityModes;
}
std::span<const ValueDoc> healthcheck_subcommands() {
    return kHealthcheckSubcommands;
}
std::span<const ValueDoc> platform_args() {
    return kPlatformArgs;
}
std::span<const ValueDoc> common_platforms() {
    return kPlatforms;
}

}  // namespace envbuilder::language::docs
