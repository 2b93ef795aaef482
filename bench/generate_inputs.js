// Writes the benchmark inputs: a multi-stage Dockerfile of about 5,000 lines using every
// instruction (with continuations, heredocs, variables and a few deliberate findings), and a
// devcontainer.json of about 500 lines.
'use strict';
const fs = require('fs');
const path = require('path');
const out = process.argv[2] || path.join(__dirname, 'out');
fs.mkdirSync(out, { recursive: true });

const lines = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm', 'ARG VERSION=1.0'];
let stage = 0;
while (lines.length < 5000) {
  lines.push(`FROM \${BASE} AS stage${stage}`);
  lines.push('ARG VERSION');
  lines.push(`ENV APP_HOME=/opt/app${stage} PATH=/opt/app${stage}/bin:$PATH`);
  lines.push(`LABEL org.opencontainers.image.version="\${VERSION}" stage="${stage}"`);
  lines.push('WORKDIR $APP_HOME');
  lines.push('RUN apt-get update \\');
  lines.push('    && apt-get install -y --no-install-recommends curl ca-certificates \\');
  lines.push('    && rm -rf /var/lib/apt/lists/*');
  lines.push('RUN --mount=type=cache,target=/root/.cache make -j4 all');
  lines.push('COPY --chown=1000:1000 --chmod=0755 src/ ./src/');
  if (stage > 0) lines.push(`COPY --from=stage${stage - 1} /opt/app${stage - 1}/bin /usr/local/bin/`);
  lines.push('RUN <<EOF');
  lines.push('set -e');
  lines.push('echo building');
  lines.push('EOF');
  lines.push('EXPOSE 8080/tcp 9090');
  lines.push('USER 1000:1000');
  lines.push('VOLUME ["/data"]');
  lines.push('HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -f http://localhost:8080/ || exit 1');
  lines.push('STOPSIGNAL SIGTERM');
  lines.push('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
  lines.push('ONBUILD COPY . /src');
  lines.push(stage % 10 === 0 ? 'CMD server --port 8080' : 'CMD ["server", "--port", "8080"]');
  lines.push('ENTRYPOINT ["/usr/local/bin/entry"]');
  lines.push('');
  stage++;
}
fs.writeFileSync(path.join(out, 'Dockerfile'), lines.slice(0, 5000).join('\n') + '\n');

const dc = ['// generated for the benchmark', '{', '  "name": "bench",', '  "image": "mcr.microsoft.com/devcontainers/base:bookworm",'];
dc.push('  "features": {');
for (let i = 0; i < 40; i++) dc.push(`    "ghcr.io/example/features/tool${i}:1": { "version": "latest" },`);
dc.push('    "ghcr.io/devcontainers/features/git:1": {}', '  },');
dc.push('  "containerEnv": {');
for (let i = 0; i < 150; i++) dc.push(`    "VAR_${i}": "\${localEnv:HOME}/v${i}",`);
dc.push('    "LAST": "x"', '  },');
dc.push('  "forwardPorts": [');
for (let i = 0; i < 100; i++) dc.push(`    ${3000 + i},`);
dc.push('    9999', '  ],');
dc.push('  "portsAttributes": {');
for (let i = 0; i < 60; i++) dc.push(`    "${3000 + i}": { "label": "svc${i}", "onAutoForward": "silent" },`);
dc.push('    "9999": { "label": "last" }', '  },');
dc.push('  "mounts": [');
while (dc.length < 480) dc.push(`    "source=vol${dc.length},target=/mnt/v${dc.length},type=volume",`);
dc.push('    "source=last,target=/mnt/last,type=volume"', '  ],');
dc.push('  "postCreateCommand": { "a": "echo a", "b": ["echo", "b"] },');
dc.push('  "customizations": { "vscode": { "extensions": ["ms-azuretools.vscode-docker"] } },');
dc.push('  "remoteUser": "vscode"', '}');
fs.writeFileSync(path.join(out, 'devcontainer.json'), dc.join('\n') + '\n');
console.log(`wrote ${out}/Dockerfile (${lines.slice(0, 5000).length} lines) and devcontainer.json (${dc.length} lines)`);
