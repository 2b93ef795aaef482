#include "language/dockerfile_docs.h"

#include <array>

namespace envbuilder::language::docs {

using dockerfile::InstructionKind;

namespace {

// Indexed by InstructionKind (FROM ... SHELL), in the enum's order.
constexpr std::array<InstructionDoc, static_cast<size_t>(InstructionKind::Unknown)> kInstructions =
    {{
        // FROM
        {"Begin a build stage on a base image or an earlier stage", "${1:image}",
         R"md(**FROM** — begin a build stage

A stage runs from its `FROM` line to the next one. Everything the stage does is layered on the base named here: an image from a registry, `scratch` (an empty filesystem), or a stage defined earlier in this file. Name the stage with `AS` so that later stages can build on it or copy from it.

**Forms**
- `FROM <image>[:<tag>|@<digest>] [AS <name>]`
- `FROM --platform=<os>/<arch> <image> [AS <name>]`

Variables in the image name may only use `ARG`s declared before the first `FROM`, plus the builder's platform arguments (`BUILDPLATFORM`, `TARGETARCH`, ...).

**Example**
```dockerfile
FROM golang:1.22 AS build
FROM scratch
COPY --from=build /out/app /app
```)md"},
        // RUN
        {"Run a command at build time and keep what it changed", "${1:command}",
         R"md(**RUN** — run a command while building

Starts a container from the stage as it is so far, runs the command in it and keeps the files it changed as a new layer. This is how packages get installed, code compiled and files prepared.

**Forms**
- shell form: `RUN <command line>`: given to the stage's shell (`/bin/sh -c` unless `SHELL` changed it), so pipes, `&&` and `$VARIABLES` work
- exec form: `RUN ["program", "arg", ...]`: started directly, no shell and no variable expansion
- here-document: `RUN <<EOF`, then the script lines, then a line `EOF`

`--mount` lends the command a cache, a secret, an SSH agent or files of another stage for its duration; `--network` and `--security` change its sandbox.

**Example**
```dockerfile
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y curl
```)md"},
        // CMD
        {"Default command (or default ENTRYPOINT arguments) of containers", "[\"${1:executable}\"]",
         R"md(**CMD** — default command of the image

What a container runs when `docker run` gives no command. When the image has an `ENTRYPOINT`, `CMD` instead provides that program's default arguments. Only the last `CMD` of the stage that becomes the image has an effect.

**Forms**
- `CMD ["program", "arg", ...]`: preferred; the program runs without a shell and receives signals itself
- `CMD ["arg", ...]`: default arguments appended to an exec-form `ENTRYPOINT`
- `CMD <command line>`: run through the shell (`/bin/sh -c`)

**Example**
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
```)md"},
        // LABEL
        {"Attach key/value metadata to the image", "${1:key}=\"${2:value}\"",
         R"md(**LABEL** — add metadata to the image

Stores key/value pairs in the image configuration, where tools and registries can read them (source repository, version, licence...). Labels of the base image are inherited and can be overridden. Quote values that contain spaces.

**Form**
- `LABEL <key>=<value> [<key>=<value> ...]`

**Example**
```dockerfile
LABEL org.opencontainers.image.source="https://github.com/acme/app" \
      org.opencontainers.image.version="1.4.0"
```)md"},
        // MAINTAINER
        {"Author of the image (deprecated: use a LABEL)", "${1:name}",
         R"md(**MAINTAINER** — image author (deprecated)

Fills the author field of the image. The instruction is deprecated: a label says the same thing in a standard way.

**Form**
- `MAINTAINER <name>`

**Instead**
```dockerfile
LABEL org.opencontainers.image.authors="jane@example.com"
```)md"},
        // EXPOSE
        {"Document the ports the container listens on", "${1:port}",
         R"md(**EXPOSE** — document listening ports

Records in the image which ports the application listens on. Nothing is published by it: `docker run -p host:container` publishes a port, and `docker run -P` publishes every exposed port on a random host port. The protocol is `tcp` unless `/udp` is given.

**Form**
- `EXPOSE <port>[/<protocol>] [<port>[/<protocol>] ...]`

**Example**
```dockerfile
EXPOSE 8080 53/udp
```)md"},
        // ENV
        {"Set environment variables for later steps and containers", "${1:key}=${2:value}",
         R"md(**ENV** — set environment variables

Sets variables seen by the following instructions of the stage, by stages built on it and by containers started from the image. A value may use variables set earlier (`$NAME`, `${NAME}`); all pairs of one `ENV` see the values from before it. For values that matter only during the build, prefer `ARG` or setting the variable inside one `RUN`, so that it does not stay in the image.

**Forms**
- `ENV <key>=<value> [<key>=<value> ...]`
- `ENV <key> <value>`: older form, one variable whose value is the rest of the line

**Example**
```dockerfile
ENV APP_HOME=/srv/app \
    PATH="/srv/app/bin:$PATH"
```)md"},
        // ADD
        {"Add files from the context, URLs or git repositories", "${1:src} ${2:dest}",
         R"md(**ADD** — add files, URLs or repositories

Works like `COPY`, and can also fetch an HTTP(S) URL or a git repository, and unpacks local tar archives (gzip, bzip2, xz) into the destination. For plain files from the context `COPY` is clearer.

**Forms**
- `ADD [flags] <src>... <dest>`
- `ADD [flags] ["<src>", ..., "<dest>"]`: for paths containing spaces
- `ADD <<EOF <dest>`: create a file from a here-document

**Example**
```dockerfile
ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /opt/
ADD https://github.com/acme/lib.git#v1.2.0 /src/lib
```)md"},
        // COPY
        {"Copy files from the build context or another stage", "${1:src} ${2:dest}",
         R"md(**COPY** — copy files into the image

Copies files and directories from the build context (or, with `--from`, from another stage, an image or a named context) into the stage. A relative destination starts at the current `WORKDIR`; a destination ending in `/` is a directory, and it must be one when there are several sources. Paths excluded by `.dockerignore` cannot be copied from the context.

**Forms**
- `COPY [flags] <src>... <dest>`
- `COPY [flags] ["<src>", ..., "<dest>"]`: for paths containing spaces
- `COPY <<EOF <dest>`: write a here-document to a file

**Example**
```dockerfile
COPY --from=build --chown=app:app /out/app /usr/local/bin/app
```)md"},
        // ENTRYPOINT
        {"The program containers run; CMD supplies its arguments", "[\"${1:executable}\"]",
         R"md(**ENTRYPOINT** — the program a container runs

Makes every container run this program. Arguments given to `docker run` (or else `CMD`) are appended to it; `docker run --entrypoint` replaces it. Only the last `ENTRYPOINT` of the final stage counts.

**Forms**
- `ENTRYPOINT ["program", "arg", ...]`: preferred; extra arguments are appended and the program receives signals itself
- `ENTRYPOINT <command line>`: run through `/bin/sh -c`; `CMD` and `docker run` arguments are then ignored and signals go to the shell

**Example**
```dockerfile
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["--port", "8080"]
```)md"},
        // VOLUME
        {"Declare directories that hold data outside the container layer", "[\"${1:/data}\"]",
         R"md(**VOLUME** — declare data directories

Marks paths whose data should live outside the container's writable layer. Each container gets an anonymous volume at these paths unless a volume or bind mount is attached there.

**Forms**
- `VOLUME ["/path", ...]`
- `VOLUME /path [/path ...]`

**Example**
```dockerfile
VOLUME ["/var/lib/postgresql/data"]
```)md"},
        // USER
        {"User (and group) for later commands and for containers", "${1:user}",
         R"md(**USER** — run as another user

Sets the user, and optionally the group, for the following `RUN` instructions and for `CMD`/`ENTRYPOINT` when a container starts. Names must exist in the image (`/etc/passwd`, `/etc/group`); numeric ids always work.

**Forms**
- `USER <user>[:<group>]`
- `USER <uid>[:<gid>]`

**Example**
```dockerfile
RUN useradd --system --uid 10001 app
USER app
```)md"},
        // WORKDIR
        {"Set the working directory for later instructions", "${1:/path}",
         R"md(**WORKDIR** — set the working directory

Sets the directory in which later `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` work, creating it when it is missing. A relative path is taken from the previous `WORKDIR`, so absolute paths keep the result independent of the base image.

**Form**
- `WORKDIR <path>`

**Example**
```dockerfile
WORKDIR /srv/app
```)md"},
        // ARG
        {"Declare a build argument (set with --build-arg)", "${1:name}",
         R"md(**ARG** — declare a build argument

Declares a variable that `docker build --build-arg <name>=<value>` can set, with an optional default. It is visible to the instructions after it in the same stage and is not part of the image's environment. An `ARG` before the first `FROM` is global: `FROM` lines can use it, and a stage can use it after declaring it again with `ARG <name>` (without a value).

Build arguments end up in the image history: pass secrets with `RUN --mount=type=secret` instead.

**Forms**
- `ARG <name>`
- `ARG <name>=<default>`

**Example**
```dockerfile
ARG VERSION=1.0
FROM alpine
ARG VERSION
RUN echo "building $VERSION"
```)md"},
        // ONBUILD
        {"Instruction to run in builds that use this image as base", "${1:INSTRUCTION}",
         R"md(**ONBUILD** — defer an instruction to child images

Stores an instruction in the image without running it. It runs in the build of any image whose `FROM` uses this one, right after that `FROM`. Useful for base images that expect the same preparation in every project. `ONBUILD` cannot wrap `FROM`, `MAINTAINER` or another `ONBUILD`.

**Form**
- `ONBUILD <instruction>`

**Example**
```dockerfile
ONBUILD COPY . /src
ONBUILD RUN make -C /src
```)md"},
        // STOPSIGNAL
        {"Signal that asks the container to stop", "${1:SIGTERM}",
         R"md(**STOPSIGNAL** — signal used to stop containers

The signal `docker stop` sends to the main process before killing it (`SIGTERM` by default), given by name or by number.

**Form**
- `STOPSIGNAL <signal>`

**Example**
```dockerfile
STOPSIGNAL SIGQUIT
```)md"},
        // HEALTHCHECK
        {"Command that tells whether a running container is healthy",
         "--interval=${1:30s} CMD ${2:command}",
         R"md(**HEALTHCHECK** — check that a container works

Runs a command inside the running container at an interval. Exit status 0 means healthy, 1 unhealthy; after `--retries` failures in a row the container is reported unhealthy. `HEALTHCHECK NONE` switches off a check inherited from the base image. Only the last `HEALTHCHECK` counts.

**Forms**
- `HEALTHCHECK [--interval=<d>] [--timeout=<d>] [--start-period=<d>] [--start-interval=<d>] [--retries=<n>] CMD <command>`
- `HEALTHCHECK NONE`

**Example**
```dockerfile
HEALTHCHECK --interval=30s --timeout=3s \
  CMD curl -fsS http://localhost:8080/health || exit 1
```)md"},
        // SHELL
        {"Shell that shell-form RUN, CMD and ENTRYPOINT use", "[\"${1:/bin/sh}\", \"${2:-c}\"]",
         R"md(**SHELL** — change the shell of shell-form commands

Replaces the program that shell-form `RUN`, `CMD` and `ENTRYPOINT` are handed to: `["/bin/sh", "-c"]` on Linux and `["cmd", "/S", "/C"]` on Windows by default. It must be written as a JSON array and applies to the instructions after it; it may appear several times.

**Form**
- `SHELL ["program", "arg", ...]`

**Example**
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
```)md"},
    }};

constexpr InstructionDoc kNoInstruction{"", "", ""};

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

constexpr std::array kDirectives = {
    DirectiveDoc{"syntax", "Dockerfile frontend image used to build this file",
                 R"md(**# syntax=<image>** — parser directive

Names the frontend image the builder uses to read this Dockerfile, for example `docker/dockerfile:1` for the newest stable 1.x syntax. Pinning it makes newer instructions and flags available regardless of the builder's bundled version. Parser directives must come before any instruction, comment or blank line.

```dockerfile
# syntax=docker/dockerfile:1
```)md"},
    DirectiveDoc{"escape", "Escape and line-continuation character: \\ or `",
                 R"md(**# escape=<character>** — parser directive

Sets the character that escapes the next character and continues an instruction on the next line: `\` (the default) or a backtick, which suits Windows images where `\` separates path components. Parser directives must come before any instruction, comment or blank line.

```dockerfile
# escape=`
```)md"},
    DirectiveDoc{"check", "Configure build checks (skip, error, experimental)",
                 R"md(**# check=<options>** — parser directive

Configures the builder's checks of this file. Options are separated by `;`:
- `skip=<Rule>,<Rule>` or `skip=all`: turn checks off
- `error=true`: make check warnings fail the build
- `experimental=<Rule>` or `experimental=all`: turn on experimental checks

```dockerfile
# check=skip=JSONArgsRecommended;error=true
```)md"},
};

}  // namespace

const InstructionDoc& instruction(InstructionKind kind) {
    auto i = static_cast<size_t>(kind);
    return i < kInstructions.size() ? kInstructions[i] : kNoInstruction;
}

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
std::span<const DirectiveDoc> directives() {
    return kDirectives;
}

const DirectiveDoc* directive(std::string_view name) {
    for (const DirectiveDoc& d : kDirectives)
        if (d.name == name) return &d;
    return nullptr;
}

const ValueDoc* find(std::span<const ValueDoc> table, std::string_view name) {
    for (const ValueDoc& v : table)
        if (v.name == name) return &v;
    return nullptr;
}

}  // namespace envbuilder::language::docs
