// End-to-end: which devcontainer.json `envbuilder build` uses when none is named, through the real
// binary. Only the choice is tested here: each case stops before anything is pulled or built
// (a Dockerfile-based config whose Dockerfile is missing, or an ambiguous workspace).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const binary = process.env.ENVBUILDER_BINARY || path.join(__dirname, '../../build/envbuilder');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'envbuilder-config-choice-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function workspace(name, configs) {
  const dir = path.join(tmp, name);
  for (const relative of configs) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    // Each names its own missing Dockerfile, so the error tells which config was read.
    const tag = relative.replace(/[^a-z]/g, '');
    fs.writeFileSync(path.join(dir, relative), JSON.stringify({ build: { dockerfile: `missing-${tag}.Dockerfile` } }));
  }
  return dir;
}

function build(dir) {
  return spawnSync(binary, ['build', '--workspace', dir, '--no-push'], { encoding: 'utf8', timeout: 30000 });
}

test('several named configs and no default: build stops and asks for --devcontainer', () => {
  const dir = workspace('ambiguous', ['.devcontainer/go/devcontainer.json', '.devcontainer/rust/devcontainer.json']);
  const run = build(dir);
  assert.notStrictEqual(run.status, 0);
  assert.match(run.stderr, /pick one with --devcontainer PATH/);
  assert.ok(run.stderr.includes(path.join(dir, '.devcontainer/go/devcontainer.json')), run.stderr);
  assert.ok(run.stderr.includes(path.join(dir, '.devcontainer/rust/devcontainer.json')), run.stderr);
});

test('a lone named config is used, and the build says so', () => {
  const dir = workspace('named', ['.devcontainer/go/devcontainer.json']);
  const run = build(dir);
  const config = path.join(dir, '.devcontainer/go/devcontainer.json');
  assert.ok(run.stdout.includes(`using ${config}`), run.stdout + run.stderr);
  assert.match(run.stderr, /missing-devcontainergodevcontainerjson\.Dockerfile/);
});

test('the default config wins over the others, which are listed', () => {
  const dir = workspace('default', ['.devcontainer/devcontainer.json', '.devcontainer.json', '.devcontainer/go/devcontainer.json']);
  const run = build(dir);
  assert.ok(run.stdout.includes(`using ${path.join(dir, '.devcontainer/devcontainer.json')}`), run.stdout + run.stderr);
  assert.ok(run.stdout.includes(path.join(dir, '.devcontainer.json')), run.stdout);
  assert.match(run.stderr, /missing-devcontainerdevcontainerjson\.Dockerfile/);
});

test('a workspace with only .devcontainer.json uses it without a note', () => {
  const dir = workspace('root-file', ['.devcontainer.json']);
  const run = build(dir);
  assert.ok(!run.stdout.includes('using '), run.stdout);
  assert.match(run.stderr, /missing-devcontainerjson\.Dockerfile/);
});
