// End-to-end: Build, Build & Push and Cancel Build through workspace/executeCommand, driven by
// vscode-jsonrpc as VS Code's client would, against a real Distribution registry the test starts,
// with skopeo (not ours) checking what was pushed.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, execSync } = require('node:child_process');
const rpc = require('vscode-jsonrpc/node');
const { Client: BaseClient } = require('./lsp_client');

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envbuilder-build-cmd-'));
const uriOf = (p) => 'file://' + p;
const isRoot = process.getuid && process.getuid() === 0;
const children = [];

class Client extends BaseClient {
  constructor(options) {
    super(options);
    children.push(this.child);
    this.progress = [];
    this.logs = [];
    this.messages = [];
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', (p) => this.progress.push(p));
    this.connection.onNotification('envbuilder/buildLog', (p) => this.logs.push(p));
    this.connection.onNotification('window/showMessage', (p) => this.messages.push(p));
  }
  execute(command, args, token) {
    const params = { command, arguments: args };
    return token ? this.connection.sendRequest('workspace/executeCommand', params, token)
      : this.connection.sendRequest('workspace/executeCommand', params);
  }
  async waitFor(predicate, timeoutMs = 20000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (predicate()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('timed out waiting');
  }
}

let registry, registryHost, baseLayout;
const registryDir = path.join(tmp, 'registry');
const fixture = path.join(root, 'tests/support/registry_fixture.sh');

// A plain-HTTP, anonymous registry from the shared fixture (tests/support/registry_fixture.sh).
test.before(() => {
  if (!isRoot) return;
  const images = path.join(os.tmpdir(), 'envbuilder-test-images');
  execFileSync('bash', [path.join(root, 'tests/support/base_images.sh'), images, 'busybox'], { stdio: 'ignore' });
  baseLayout = path.join(images, 'busybox');
  execFileSync('bash', [fixture, 'start', registryDir, '--plain', '--auth', 'none'], { stdio: ['ignore', 'ignore', 'inherit'] });
  registry = JSON.parse(fs.readFileSync(path.join(registryDir, 'registry.json'), 'utf8'));
  registryHost = registry.host;
});
test.afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); });
test.after(() => {
  if (registry) execFileSync('bash', [fixture, 'stop', registryDir]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function workspace(name, dockerfileBody) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, '.devcontainer'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.devcontainer', 'devcontainer.json'), '{"build": {"dockerfile": "Dockerfile"}}\n');
  fs.writeFileSync(path.join(dir, '.devcontainer', 'Dockerfile'), `FROM oci:${baseLayout}:latest\n${dockerfileBody}`);
  return dir;
}

function settings(extra = {}) {
  return { insecureRegistries: [registryHost], cacheDir: path.join(tmp, 'cache'), ...extra };
}

test('Build & Push: progress begin/report/end, logs, the result, and the image in the registry', { skip: !isRoot }, async () => {
  const ws = workspace('push', 'RUN echo built from the editor > /hello\nCMD ["cat", "/hello"]\n');
  const client = new Client({
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    configuration: settings({ image: `${registryHost}/editor/app:1` }),
  });
  const init = await client.initialize();
  assert.deepStrictEqual(init.capabilities.executeCommandProvider.commands,
    ['envbuilder.build', 'envbuilder.buildAndPush', 'envbuilder.cancelBuild']);
  await client.waitFor(() => client.configurationRequests > 0);
  await new Promise((r) => setTimeout(r, 100));

  // Diagnostics keep coming while the build runs.
  const pending = client.execute('envbuilder.buildAndPush', [uriOf(ws)]);
  const dockerfileUri = uriOf(path.join(tmp, 'Lint.Dockerfile'));
  const started = Date.now();
  await client.open(dockerfileUri, 'FROM busybox\nRUNN x\n');
  await client.waitForDiagnostics(dockerfileUri, (p) => p.diagnostics.some((d) => d.code === 'UnknownInstruction'));
  assert.ok(Date.now() - started < 2000, 'diagnostics answered during the build');

  const result = await pending;
  assert.match(result.digest, /^sha256:[0-9a-f]{64}$/);
  assert.deepStrictEqual(result.pushed, [`${registryHost}/editor/app:1@${result.digest}`]);
  const kinds = client.progress.map((p) => p.value.kind);
  assert.strictEqual(kinds[0], 'begin');
  assert.strictEqual(kinds[kinds.length - 1], 'end');
  assert.ok(client.progress.some((p) => p.value.kind === 'report' && /^step 2\/3: RUN echo/.test(p.value.message)));
  assert.match(client.progress[client.progress.length - 1].value.message, /^pushed /);
  assert.ok(client.logs.some((l) => l.workspace === uriOf(ws) && typeof l.step === 'number'));
  assert.ok(client.messages.some((m) => m.type === 3 && /pushed/.test(m.message)));
  const inspected = JSON.parse(execSync(`skopeo inspect --tls-verify=false docker://${registryHost}/editor/app:1`).toString());
  assert.strictEqual(inspected.Digest, result.digest);
  await client.shutdown();
});

test('a failing RUN: RequestFailed, a BuildFailed diagnostic on its line, cleared by an edit of that line', { skip: !isRoot }, async () => {
  const ws = workspace('fail', 'RUN echo about to fail && exit 3\n');
  const client = new Client({ capabilities: { window: { workDoneProgress: true } }, initializationOptions: settings() });
  await client.initialize();
  const dockerfile = path.join(ws, '.devcontainer', 'Dockerfile');
  const uri = uriOf(dockerfile);
  await client.open(uri, fs.readFileSync(dockerfile, 'utf8'));
  await assert.rejects(client.execute('envbuilder.build', [uriOf(path.join(ws, '.devcontainer', 'devcontainer.json'))]),
    (e) => e.code === -32803 && /RUN failed with exit code 3/.test(e.message) && /about to fail/.test(e.message));
  const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'BuildFailed'));
  const failed = published.diagnostics.find((d) => d.code === 'BuildFailed');
  assert.strictEqual(failed.range.start.line, 1);
  assert.strictEqual(failed.severity, 1);
  assert.ok(client.messages.some((m) => m.type === 1));
  assert.match(client.progress[client.progress.length - 1].value.message, /^failed: /);

  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# ' }],
  });
  await client.waitForDiagnostics(uri, (p) => p.version === 2 && !p.diagnostics.some((d) => d.code === 'BuildFailed'));
  await client.shutdown();
});

test('cancel: one build per workspace; workDoneProgress/cancel, $/cancelRequest and cancelBuild stop it within a second', { skip: !isRoot }, async () => {
  const ws = workspace('cancel', 'RUN sleep 971\n');
  const client = new Client({ capabilities: { window: { workDoneProgress: true } }, initializationOptions: settings() });
  await client.initialize();
  const running = () => execSync("pgrep -f 'slee[p] 971' || true").toString().trim() !== '';
  const started = () => client.progress.some((p) => p.value.kind === 'report' && /RUN sleep 971/.test(p.value.message));

  // 1. The progress notification's cancel button.
  let pending = client.execute('envbuilder.build', [uriOf(ws)]);
  await client.waitFor(() => started() && running());
  await assert.rejects(client.execute('envbuilder.build', [uriOf(ws)]),
    (e) => e.code === -32803 && /already running/.test(e.message));
  const token = client.progress.find((p) => p.value.kind === 'begin').token;
  let t0 = Date.now();
  await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
  await assert.rejects(pending, (e) => e.code === -32800);
  await client.waitFor(() => !running(), 2000);
  assert.ok(Date.now() - t0 < 1500, `cancelled in ${Date.now() - t0} ms`);

  // 2. $/cancelRequest of the executeCommand request itself.
  client.progress = [];
  const source = new rpc.CancellationTokenSource();
  pending = client.execute('envbuilder.build', [uriOf(ws)], source.token);
  await client.waitFor(() => started() && running());
  t0 = Date.now();
  source.cancel();
  await assert.rejects(pending);
  await client.waitFor(() => !running(), 2000);
  assert.ok(Date.now() - t0 < 1500);

  // 3. The Cancel Build command.
  client.progress = [];
  pending = client.execute('envbuilder.build', [uriOf(ws)]);
  await client.waitFor(() => started() && running());
  assert.deepStrictEqual(await client.execute('envbuilder.cancelBuild', [uriOf(ws)]), { cancelled: 1 });
  await assert.rejects(pending, (e) => e.code === -32800);
  await client.waitFor(() => !running(), 2000);
  await client.shutdown();
});

test('Build & Push without an image is a clear error', async () => {
  const client = new Client({ initializationOptions: {} });
  await client.initialize();
  await assert.rejects(client.execute('envbuilder.buildAndPush', [uriOf(tmp)]),
    (e) => e.code === -32602 && /envbuilder.image/.test(e.message));
  await assert.rejects(client.execute('envbuilder.nothing', []), (e) => e.code === -32602);
  await client.shutdown();
});

test('Build on a devcontainer Dockerfile follows the config that builds it (context, args)', { skip: !isRoot }, async () => {
  const ws = path.join(tmp, 'by-dockerfile');
  fs.mkdirSync(path.join(ws, '.devcontainer'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'data.txt'), 'context file\n');
  fs.writeFileSync(path.join(ws, '.devcontainer', 'devcontainer.json'),
    '{"build": {"dockerfile": "Dockerfile", "context": "..", "args": {"X": "from-config"}}}\n');
  const dockerfile = path.join(ws, '.devcontainer', 'Dockerfile');
  fs.writeFileSync(dockerfile, `FROM oci:${baseLayout}:latest\nARG X\nCOPY data.txt /\nRUN test "$X" = from-config\n`);
  const client = new Client({ initializationOptions: settings() });
  await client.initialize();
  const result = await client.execute('envbuilder.build', [uriOf(dockerfile)]);
  assert.match(result.digest, /^sha256:/);
  await client.shutdown();
});
