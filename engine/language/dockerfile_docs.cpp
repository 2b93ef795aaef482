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
