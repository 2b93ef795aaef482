// Language-server figures, envbuilder and docker-langserver (npm dockerfile-language-server-nodejs)
// side by side in one run, both driven by vscode-jsonrpc over stdio:
//   start -> initialize result; didOpen -> publishDiagnostics and didChange -> publishDiagnostics
//   on a 40-line and a 5,000-line Dockerfile (medians); a burst of 20 quick edits (how many
//   validations were published and how long until the last one); peak RSS of the server process.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const rpc = require('vscode-jsonrpc/node');

const root = path.join(__dirname, '..');
const servers = {
  envbuilder: [process.env.ENVBUILDER_BINARY || path.join(root, 'build/envbuilder'), ['lsp', '--stdio']],
  'docker-langserver': [process.execPath, [path.join(root, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver'), '--stdio']],
};

function dockerfile(lines) {
  const out = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm'];
  let stage = 0;
  while (out.length < lines) {
    out.push(`FROM \${BASE} AS stage${stage}`);
    out.push(`ENV APP_HOME=/opt/app${stage}`);
    out.push('WORKDIR $APP_HOME');
    out.push('RUN apt-get update \\');
    out.push('    && apt-get install -y --no-install-recommends curl \\');
    out.push('    && rm -rf /var/lib/apt/lists/*');
    out.push('COPY --chown=1000:1000 src/ ./src/');
    out.push('EXPOSE 8080/tcp');
    out.push('HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1');
    out.push('CMD ["server"]');
    stage++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const now = () => Number(process.hrtime.bigint()) / 1e6;

function peakRss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch { return NaN; }
}

async function measure(name) {
  const [cmd, args] = servers[name];
  const started = now();
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiter = null;
  const published = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.push({ at: now(), uri: p.uri });
    if (waiter && waiter.uri === p.uri) { const w = waiter; waiter = null; w.resolve(); }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const startup = now() - started;
  conn.sendNotification('initialized', {});
  const next = (uri) => new Promise((resolve) => { waiter = { uri, resolve }; });
  const result = { startup_ms: startup };

  for (const lines of [40, 5000]) {
    const text = dockerfile(lines);
    const opens = [], changes = [];
    for (let i = 0; i < 7; i++) {
      const uri = `file:///bench/${name}/${lines}/${i}/Dockerfile`;
      let t = now();
      let p = next(uri);
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
      await p;
      opens.push(now() - t);
      for (let v = 2; v < 6; v++) {
        t = now();
        p = next(uri);
        // Typing in a RUN command: one character a change.
        conn.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [{ range: { start: { line: 5, character: 4 + v }, end: { line: 5, character: 4 + v } }, text: 'x' }],
        });
        await p;
        changes.push(now() - t);
      }
      conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
    result[`open_${lines}_ms`] = median(opens);
    result[`change_${lines}_ms`] = median(changes);
  }

  // A burst of 20 edits sent back to back on the large file.
  const uri = `file:///bench/${name}/burst/Dockerfile`;
  let p = next(uri);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: dockerfile(5000) } });
  await p;
  const before = published.filter((x) => x.uri === uri).length;
  const t0 = now();
  for (let v = 2; v <= 21; v++) {
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 5, character: 4 + v }, end: { line: 5, character: 4 + v } }, text: 'x' }],
    });
  }
  // Settled: no new publication for 1.5 s.
  let last = now();
  for (;;) {
    const count = published.filter((x) => x.uri === uri).length;
    await new Promise((r) => setTimeout(r, 100));
    if (published.filter((x) => x.uri === uri).length !== count) { last = now(); continue; }
    if (now() - last > 1500) break;
  }
  const burst = published.filter((x) => x.uri === uri).slice(before);
  result.burst_publications = burst.length;
  result.burst_last_ms = burst.length ? burst[burst.length - 1].at - t0 : NaN;
  result.peak_rss_mib = peakRss(child.pid);
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  await new Promise((r) => child.on('exit', r));
  conn.dispose();
  return result;
}

(async () => {
  const results = {};
  for (const name of Object.keys(servers)) results[name] = await measure(name);
  const rows = [
    ['start -> initialize result (ms)', 'startup_ms'],
    ['didOpen -> diagnostics, 40 lines (ms)', 'open_40_ms'],
    ['didChange -> diagnostics, 40 lines (ms)', 'change_40_ms'],
    ['didOpen -> diagnostics, 5,000 lines (ms)', 'open_5000_ms'],
    ['didChange -> diagnostics, 5,000 lines (ms)', 'change_5000_ms'],
    ['20-edit burst: publications', 'burst_publications'],
    ['20-edit burst: until last publication (ms)', 'burst_last_ms'],
    ['peak RSS (MiB)', 'peak_rss_mib'],
  ];
  const a = results.envbuilder, b = results['docker-langserver'];
  console.log('| measure | envbuilder | docker-langserver | ratio |');
  console.log('|---|---|---|---|');
  for (const [label, key] of rows) {
    const ratio = key === 'burst_publications' ? '' : (b[key] / a[key]).toFixed(1) + 'x';
    console.log(`| ${label} | ${a[key].toFixed(key === 'burst_publications' ? 0 : 2)} | ${b[key].toFixed(key === 'burst_publications' ? 0 : 2)} | ${ratio} |`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
