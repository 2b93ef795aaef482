// The language server while it builds: didChange -> diagnostics latency on a 5,000-line
// Dockerfile with no build running, then the same while a Build runs (a RUN step keeping a core
// busy writing and compressing data), and the time from "cancel" to the end of the build's
// processes. Goals: latency during a build within 20% of without; cancel under 1 s.
// Needs root (RUN) and the busybox base from tests/support/base_images.sh.
'use strict';
const { spawn, execFileSync, execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rpc = require('vscode-jsonrpc/node');

const root = path.join(__dirname, '..');
const binary = process.env.ENVBUILDER_BINARY || path.join(root, 'build/envbuilder');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-lsp-build-bench-'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const images = path.join(os.tmpdir(), 'envbuilder-test-images');
  execFileSync('bash', [path.join(root, 'tests/support/base_images.sh'), images, 'busybox'], { stdio: 'ignore' });
  execFileSync(process.execPath, [path.join(root, 'bench/generate_inputs.js'), path.join(work, 'inputs')]);
  const big = fs.readFileSync(path.join(work, 'inputs', 'Dockerfile'), 'utf8');
  const ws = path.join(work, 'ws');
  fs.mkdirSync(ws);
  // A step that keeps one core busy for long enough: random data through gzip, then a layer.
  fs.writeFileSync(path.join(ws, 'Dockerfile'),
    `FROM oci:${images}/busybox:latest\nRUN i=0; while [ $i -lt 400 ]; do head -c 1048576 /dev/urandom | gzip -1 > /dev/null; i=$((i+1)); done; sleep 600\n`);

  const child = spawn(binary, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiter = null;
  let progress = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (waiter && p.version === waiter.version) { const w = waiter; waiter = null; w.resolve(); }
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('$/progress', (p) => progress.push(p));
  conn.onNotification('window/logMessage', () => {});
  conn.onNotification('envbuilder/buildLog', () => {});
  conn.onNotification('window/showMessage', () => {});
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: { window: { workDoneProgress: true } },
    initializationOptions: { cacheDir: path.join(work, 'cache') },
  });
  await conn.sendNotification('initialized', {});
  const uri = 'file://' + path.join(work, 'inputs', 'Dockerfile');
  let version = 1;
  const diagnosticsFor = (v) => new Promise((resolve) => { waiter = { version: v, resolve }; });
  let wait = diagnosticsFor(version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text: big } });
  await wait;

  async function latencies(n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      version++;
      wait = diagnosticsFor(version);
      const t = now();
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 5, character: 4 }, end: { line: 5, character: 4 } }, text: i % 2 ? 'x' : '' }],
      });
      await wait;
      out.push(now() - t);
      await sleep(20);
    }
    return out;
  }

  const idle = median(await latencies(40));
  const pending = conn.sendRequest('workspace/executeCommand', { command: 'envbuilder.build', arguments: ['file://' + ws] })
    .catch((e) => e);
  while (!progress.some((p) => p.value.kind === 'report' && /RUN/.test(p.value.message || ''))) await sleep(20);
  await sleep(500);
  const building = median(await latencies(40));
  const token = progress.find((p) => p.value.kind === 'begin').token;
  const running = () => execSync("pgrep -f 'head -c 104857[6]' || pgrep -f 'slee[p] 600' || true").toString().trim() !== '';
  const t0 = now();
  await conn.sendNotification('window/workDoneProgress/cancel', { token });
  await pending;
  while (running()) await sleep(5);
  const cancelMs = now() - t0;
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  child.kill();
  fs.rmSync(work, { recursive: true, force: true });
  const ratio = building / idle;
  console.log('| measure | value | goal |');
  console.log('|---|---|---|');
  console.log(`| didChange -> diagnostics, 5,000 lines, idle (median of 40) | ${idle.toFixed(1)} ms | |`);
  console.log(`| the same while a build runs | ${building.toFixed(1)} ms (${ratio.toFixed(2)}x) | within 1.2x |`);
  console.log(`| cancel -> build processes gone | ${cancelMs.toFixed(0)} ms | under 1000 ms |`);
  console.log(JSON.stringify({ idle_ms: idle, building_ms: building, ratio, cancel_ms: cancelMs }));
}

main().catch((e) => { console.error(e); process.exit(1); });
