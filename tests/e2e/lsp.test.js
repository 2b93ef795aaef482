// End-to-end: the language server driven by vscode-jsonrpc, as VS Code would.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Client: BaseClient, binary } = require('./lsp_client');


const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envbuilder-lsp-'));
const uriOf = (p) => 'file://' + p;
const children = [];
class Client extends BaseClient {
  constructor(options) {
    super(options);
    children.push(this.child);
  }
}
test.afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); });
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('lifecycle: initialize, capabilities, shutdown and exit code 0', async () => {
  const client = new Client();
  const result = await client.initialize();
  assert.strictEqual(result.capabilities.positionEncoding, 'utf-16');
  assert.strictEqual(result.capabilities.textDocumentSync.change, 2);
  assert.strictEqual(result.serverInfo.name, 'envbuilder');
  assert.strictEqual(await client.shutdown(), 0);
});

test('lifecycle: exit without shutdown ends with code 1', async () => {
  const client = new Client();
  await client.initialize();
  await client.connection.sendNotification('exit');
  assert.strictEqual(await client.exited, 1);
  client.connection.dispose();
});

test('lifecycle: requests before initialize get ServerNotInitialized', async () => {
  const client = new Client();
  await assert.rejects(client.connection.sendRequest('textDocument/codeAction', {}), (e) => e.code === -32002);
  await client.initialize();
  await assert.rejects(client.connection.sendRequest('initialize', { capabilities: {} }), (e) => e.code === -32600);
  assert.strictEqual(await client.shutdown(), 0);
});

test('diagnostics follow full and incremental changes and clear on close', async () => {
  const client = new Client();
  await client.initialize();
  const uri = uriOf(path.join(tmp, 'Dockerfile'));
  await client.open(uri, 'FROM alpine AS Build\nRUNN make\n');
  const first = await client.waitForDiagnostics(uri, (p) => p.version === 1);
  const codes = first.diagnostics.map((d) => d.code).sort();
  assert.deepStrictEqual(codes, ['StageNameCasing', 'UnknownInstruction']);
  const unknown = first.diagnostics.find((d) => d.code === 'UnknownInstruction');
  assert.deepStrictEqual(unknown.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
  assert.strictEqual(unknown.severity, 1);
  const casing = first.diagnostics.find((d) => d.code === 'StageNameCasing');
  assert.match(casing.codeDescription.href, /stage-name-casing/);

  // Incremental: RUNN -> RUN
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } }, text: 'RUN' }],
  });
  const second = await client.waitForDiagnostics(uri, (p) => p.version === 2);
  assert.deepStrictEqual(second.diagnostics.map((d) => d.code), ['StageNameCasing']);

  // Full: replace everything
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 }, contentChanges: [{ text: 'FROM alpine AS build\n' }],
  });
  const third = await client.waitForDiagnostics(uri, (p) => p.version === 3);
  assert.deepStrictEqual(third.diagnostics, []);

  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const closed = await client.waitForDiagnostics(uri, (p) => p.version === undefined);
  assert.deepStrictEqual(closed.diagnostics, []);
  assert.strictEqual(await client.shutdown(), 0);
});

test('a local feature\'s options are checked against its devcontainer-feature.json', async () => {
  const client = new Client();
  await client.initialize();
  const folder = path.join(tmp, 'features-ws/.devcontainer');
  fs.mkdirSync(path.join(folder, 'tool'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'tool/devcontainer-feature.json'),
    '{"id":"tool","version":"1.0.0","options":{"mode":{"type":"string","enum":["a","b"]}}}');
  fs.writeFileSync(path.join(folder, 'tool/install.sh'), '#!/bin/sh\n');
  const uri = uriOf(path.join(folder, 'devcontainer.json'));
  await client.open(uri, '{\n  "image": "debian",\n  "features": {"./tool": {"mode": "z"}}\n}\n', 'jsonc');
  const p = await client.waitForDiagnostics(uri);
  const option = p.diagnostics.find((d) => d.code === 'InvalidFeatureOption');
  assert.ok(option, JSON.stringify(p.diagnostics));
  assert.deepStrictEqual(option.range.start, { line: 2, character: 25 });
  assert.match(option.message, /must be one of "a", "b", not "z"/);
  assert.strictEqual(await client.shutdown(), 0);
});

test('devcontainer.json is recognized by path and validated', async () => {
  const client = new Client();
  await client.initialize();
  fs.mkdirSync(path.join(tmp, 'ws/.devcontainer'), { recursive: true });
  const uri = uriOf(path.join(tmp, 'ws/.devcontainer/devcontainer.json'));
  await client.open(uri, '{\n  // comment\n  "image": "alpine",\n  "shutdownAction": "explode",\n}\n', 'jsonc');
  const p = await client.waitForDiagnostics(uri);
  const codes = p.diagnostics.map((d) => d.code).sort();
  assert.deepStrictEqual(codes, ['InvalidEnumValue', 'TrailingComma']);
  const comma = p.diagnostics.find((d) => d.code === 'TrailingComma');
  assert.deepStrictEqual(comma.range.start, { line: 3, character: 29 });
  assert.strictEqual(await client.shutdown(), 0);
});

test('a burst of edits is coalesced and only the newest version is published last', async () => {
  const client = new Client();
  await client.initialize();
  const uri = uriOf(path.join(tmp, 'burst.Dockerfile'));
  const lines = [];
  for (let i = 0; i < 5000; i++) lines.push(i % 50 === 0 ? `FROM alpine AS s${i}` : `RUN echo ${i}`);
  await client.open(uri, lines.join('\n') + '\n');
  await client.waitForDiagnostics(uri, (p) => p.version === 1);
  for (let v = 2; v <= 21; v++) {
    client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '#' }],
    });
  }
  const last = await client.waitForDiagnostics(uri, (p) => p.version === 21);
  const published = client.diagnostics.get(uri).map((p) => p.version);
  assert.ok(published.length <= 21, `published ${published.length} times`);
  assert.strictEqual(published[published.length - 1], 21);
  for (let i = 1; i < published.length; i++) assert.ok(published[i] > published[i - 1], 'versions only move forward');
  assert.ok(Array.isArray(last.diagnostics));
  assert.strictEqual(await client.shutdown(), 0);
});

test('quick fixes come from the rules', async () => {
  const client = new Client();
  await client.initialize();
  const uri = uriOf(path.join(tmp, 'fix/Dockerfile'));
  await client.open(uri, 'FROM alpine AS Build\n');
  await client.waitForDiagnostics(uri);
  const actions = await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 16 }, end: { line: 0, character: 16 } },
    context: { diagnostics: [] },
  });
  assert.strictEqual(actions.length, 1);
  assert.strictEqual(actions[0].kind, 'quickfix');
  assert.deepStrictEqual(actions[0].edit.changes[uri], [
    { range: { start: { line: 0, character: 15 }, end: { line: 0, character: 20 } }, newText: 'build' },
  ]);
  assert.strictEqual(await client.shutdown(), 0);
});

test('settings from workspace/configuration disable rules and change severities', async () => {
  const client = new Client({
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    configuration: { lint: { disabledRules: ['StageNameCasing'], severity: { UnknownInstruction: 'hint' } } },
  });
  await client.initialize();
  const uri = uriOf(path.join(tmp, 'cfg/Dockerfile'));
  await client.open(uri, 'FROM alpine AS Build\nRUNN x\n');
  const p = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 1);
  assert.strictEqual(p.diagnostics[0].code, 'UnknownInstruction');
  assert.strictEqual(p.diagnostics[0].severity, 4);
  assert.ok(client.configurationRequests >= 1);
  assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
  // A pushed change of settings re-publishes.
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { envbuilder: {} } });
  await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 2);
  assert.strictEqual(await client.shutdown(), 0);
});

test('a devcontainer.json is re-checked when its Dockerfile appears', async () => {
  const client = new Client();
  await client.initialize();
  const dir = path.join(tmp, 'watch/.devcontainer');
  fs.mkdirSync(dir, { recursive: true });
  const uri = uriOf(path.join(dir, 'devcontainer.json'));
  await client.open(uri, '{ "build": { "dockerfile": "Dockerfile" } }\n', 'jsonc');
  await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'DockerfileNotFound'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: uriOf(path.join(dir, 'Dockerfile')), type: 1 }],
  });
  await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
  assert.strictEqual(await client.shutdown(), 0);
});

test('UTF-8 positions when the client offers them', async () => {
  const client = new Client({ capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] } } });
  const result = await client.initialize();
  assert.strictEqual(result.capabilities.positionEncoding, 'utf-8');
  const uri = uriOf(path.join(tmp, 'utf8/Dockerfile'));
  await client.open(uri, 'FROM alpine\nLABEL x="é😀" y=$UNDEFINED_VARIABLE_FOR_SCRATCH\nFROM scratch AS Sé\n');
  const p = await client.waitForDiagnostics(uri);
  const d = p.diagnostics.find((x) => x.code === 'StageNameCasing');
  assert.deepStrictEqual(d.range, { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } });
  assert.strictEqual(await client.shutdown(), 0);
});

// Raw byte-level tests: what a broken or hostile client can send.
function rawSession() {
  const child = spawn(binary, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = Buffer.alloc(0);
  const messages = [];
  const waiters = [];
  child.stdout.on('data', (d) => {
    out = Buffer.concat([out, d]);
    for (;;) {
      const header = out.indexOf('\r\n\r\n');
      if (header < 0) break;
      const length = Number(/Content-Length: (\d+)/.exec(out.subarray(0, header).toString())[1]);
      if (out.length < header + 4 + length) break;
      const msg = JSON.parse(out.subarray(header + 4, header + 4 + length).toString());
      out = out.subarray(header + 4 + length);
      messages.push(msg);
      for (const w of waiters.splice(0)) w();
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const frame = (obj) => {
    const body = Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj));
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
  };
  const waitFor = async (pred, ms = 10000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = messages.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error('timed out; got ' + JSON.stringify(messages).slice(0, 500));
      await new Promise((r) => { waiters.push(r); setTimeout(r, 50); });
    }
  };
  return { child, messages, exited, frame, waitFor };
}

test('bad input: malformed header, non-JSON body, wrong param types, unknown method', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  await s.waitFor((m) => m.id === 1);
  s.child.stdin.write('Content-Length: nope\r\n\r\n');
  s.child.stdin.write(s.frame('{this is not json'));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 2, method: 'textDocument/codeAction', params: { textDocument: 42 } }));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 3, method: 'no/such/method' }));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: 'wrong' } }));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 4, method: 'shutdown' }));
  await s.waitFor((m) => m.id === 4);
  assert.ok(s.messages.filter((m) => m.error && m.error.code === -32700 && m.id === null).length >= 2);
  assert.strictEqual(s.messages.find((m) => m.id === 2).error.code, -32602);
  assert.strictEqual(s.messages.find((m) => m.id === 3).error.code, -32601);
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', method: 'exit' }));
  assert.strictEqual(await s.exited, 0);
});

test('framing: after each bad header the server resynchronises and answers the next request', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  await s.waitFor((m) => m.id === 1);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'shutdown' });
  const garbage = [
    `Content-Length: -5\r\n\r\n${body}`,
    `Content-Length: 1e3\r\n\r\n${body}`,
    `Content-Length: 2147483648\r\n\r\n${body}`,
    `Content-Length: 100000000000000000\r\n\r\n${body}`,
    `Content-Length: 10\r\n\r\n${body}`,  // smaller than the body
    'complete garbage {[\u0000\r\n\r\n',
  ];
  let id = 10;
  for (const bad of garbage) {
    const errorsBefore = s.messages.filter((m) => m.id === null && m.error).length;
    s.child.stdin.write(bad);
    s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: ++id, method: 'textDocument/documentSymbol', params: { textDocument: { uri: 'file:///nowhere/Dockerfile' } } }));
    const answer = await s.waitFor((m) => m.id === id);
    assert.strictEqual(answer.error.code, -32602, `after ${JSON.stringify(bad.slice(0, 30))}: ${JSON.stringify(answer)}`);
    assert.match(answer.error.message, /not open/);
    // The bad header itself was answered with a ParseError (null id).
    assert.ok(s.messages.filter((m) => m.id === null && m.error && m.error.code === -32700).length > errorsBefore);
  }
  assert.ok(!s.messages.some((m) => m.id === 99), 'no body of a bad header was taken for a request');
  // Nesting beyond the limit: answered with an error, and the server goes on.
  s.child.stdin.write(s.frame(`{"jsonrpc":"2.0","id":50,"method":"textDocument/hover","params":${'['.repeat(70000)}${']'.repeat(70000)}}`));
  s.child.stdin.write(s.frame(`{"jsonrpc":"2.0","id":51,"method":"textDocument/hover","params":${'{"a":'.repeat(1000000)}1${'}'.repeat(1000000)}}`));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 52, method: 'shutdown' }));
  await s.waitFor((m) => m.id === 52);
  assert.ok(s.messages.filter((m) => m.id === null && m.error && m.error.code === -32600).length >= 2);
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', method: 'exit' }));
  assert.strictEqual(await s.exited, 0);
});

test('cancellation: a request cancelled before it runs answers RequestCancelled', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  await s.waitFor((m) => m.id === 1);
  s.child.stdin.write(Buffer.concat([
    s.frame({ jsonrpc: '2.0', id: 7, method: 'textDocument/codeAction', params: { textDocument: { uri: 'file:///x' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } }),
    s.frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 7 } }),
  ]));
  const answer = await s.waitFor((m) => m.id === 7);
  assert.strictEqual(answer.error.code, -32800);
  s.child.stdin.end();
  await s.exited;
});

test('a 50 MB message is handled and the server stays responsive', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  await s.waitFor((m) => m.id === 1);
  const text = 'RUN echo ' + 'x'.repeat(50 * 1024 * 1024) + '\n';
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///big/Dockerfile', languageId: 'dockerfile', version: 1, text } } }));
  const diags = await s.waitFor((m) => m.method === 'textDocument/publishDiagnostics', 120000);
  assert.strictEqual(diags.params.uri, 'file:///big/Dockerfile');
  // Still answering after it.
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
  await s.waitFor((m) => m.id === 2);
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', method: 'exit' }));
  assert.strictEqual(await s.exited, 0);
});

test('a client that vanishes mid-message: the server exits cleanly', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  await s.waitFor((m) => m.id === 1);
  s.child.stdin.write('Content-Length: 100\r\n\r\n{"jsonrpc":"2.0",');
  s.child.stdin.end();
  const code = await s.exited;
  assert.strictEqual(code, 1);  // no shutdown was requested
});

test('EOF after shutdown exits with 0', async () => {
  const s = rawSession();
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } }));
  s.child.stdin.write(s.frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
  await s.waitFor((m) => m.id === 2);
  s.child.stdin.end();
  assert.strictEqual(await s.exited, 0);
});

test('editor features on a Dockerfile: hover, completion, symbols, definition, references, formatting', async () => {
  const client = new Client({
    capabilities: {
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    },
  });
  await client.initialize();
  const uri = uriOf(path.join(tmp, 'features/Dockerfile'));
  const text = [
    'ARG VERSION=3.20',            // 0
    'FROM alpine:${VERSION} AS build', // 1
    'ENV APP=/app',                // 2
    'run echo $APP',               // 3
    'RUN make \\',                 // 4
    '      all',                   // 5
    'FROM scratch',                // 6
    'COPY --from=build /app /app', // 7
    'COPY --',                     // 8
  ].join('\n') + '\n';
  await client.open(uri, text);
  await client.waitForDiagnostics(uri);
  const td = { uri };

  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: td, position: { line: 2, character: 1 } });
  assert.strictEqual(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /ENV/);
  assert.deepStrictEqual(hover.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
  const varHover = await client.connection.sendRequest('textDocument/hover', { textDocument: td, position: { line: 1, character: 16 } });
  assert.match(varHover.contents.value, /3\.20/);

  const flags = await client.connection.sendRequest('textDocument/completion', { textDocument: td, position: { line: 8, character: 7 } });
  const labels = flags.items.map((i) => i.label);
  assert.ok(labels.some((l) => l.includes('from')), labels.join(','));
  assert.ok(labels.some((l) => l.includes('chown')));
  assert.ok(!labels.some((l) => l.includes('platform')), 'COPY does not take --platform');

  const keywords = await client.connection.sendRequest('textDocument/completion', { textDocument: td, position: { line: 9, character: 0 } });
  assert.ok(keywords.items.some((i) => i.label === 'HEALTHCHECK'));
  assert.ok(keywords.items.some((i) => i.insertTextFormat === 2), 'snippets for a client that supports them');

  const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: td });
  const stages = symbols.filter((s) => s.children && s.children.length);
  assert.ok(stages.some((s) => s.name.includes('build')), JSON.stringify(symbols.map((s) => s.name)));

  const def = await client.connection.sendRequest('textDocument/definition', { textDocument: td, position: { line: 7, character: 14 } });
  assert.deepStrictEqual(def.range, { start: { line: 1, character: 26 }, end: { line: 1, character: 31 } });

  const refs = await client.connection.sendRequest('textDocument/references', {
    textDocument: td, position: { line: 2, character: 5 }, context: { includeDeclaration: true } });
  assert.ok(refs.length >= 2, JSON.stringify(refs));
  assert.ok(refs.some((r) => r.range.start.line === 3));

  const edits = await client.connection.sendRequest('textDocument/formatting', {
    textDocument: td, options: { tabSize: 4, insertSpaces: true } });
  assert.ok(edits.some((e) => e.newText === 'RUN' && e.range.start.line === 3), JSON.stringify(edits));
  assert.ok(edits.some((e) => e.range.start.line === 5 && e.newText === '    '), JSON.stringify(edits));
  assert.strictEqual(await client.shutdown(), 0);
});

test('editor features on a devcontainer.json: hover, completion, symbols', async () => {
  const client = new Client({ capabilities: { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true } } } });
  await client.initialize();
  fs.mkdirSync(path.join(tmp, 'dcf/.devcontainer'), { recursive: true });
  const uri = uriOf(path.join(tmp, 'dcf/.devcontainer/devcontainer.json'));
  const text = [
    '{',                                   // 0
    '  "image": "alpine",',                // 1
    '  "shutdownAction": "none",',         // 2
    '  "features": {',                     // 3
    '    "ghcr.io/devcontainers/features/git:1": {}', // 4
    '  },',                                // 5
    '  "waitFor": "",',                    // 6
    '  ',                                  // 7
    '}',
  ].join('\n') + '\n';
  await client.open(uri, text, 'jsonc');
  await client.waitForDiagnostics(uri);
  const td = { uri };
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: td, position: { line: 2, character: 5 } });
  assert.match(hover.contents.value, /shutdownAction/);
  assert.match(hover.contents.value, /stopContainer/);

  const props = await client.connection.sendRequest('textDocument/completion', { textDocument: td, position: { line: 7, character: 2 } });
  const names = props.items.map((i) => i.label);
  assert.ok(names.includes('remoteUser'), names.slice(0, 20).join(','));
  assert.ok(!names.includes('image'), 'properties already present are not offered');

  const values = await client.connection.sendRequest('textDocument/completion', { textDocument: td, position: { line: 6, character: 14 } });
  assert.ok(values.items.some((i) => i.label.includes('postCreateCommand')), JSON.stringify(values.items.map((i) => i.label)));

  const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: td });
  assert.deepStrictEqual(symbols.map((s) => s.name), ['image', 'shutdownAction', 'features', 'waitFor']);
  assert.strictEqual(symbols[2].children.length, 1);
  assert.strictEqual(await client.shutdown(), 0);
});
