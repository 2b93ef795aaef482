// extension.ts with the `vscode` module stood in by test-support/fake-vscode and the real
// vscode-languageclient talking over stdio to test-support/fake-server (a fake
// `envbuilder lsp --stdio` that implements the build-command contract).

import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Resolve `vscode` to the fake before anything loads the extension or the client.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const fakePath = path.join(__dirname, '..', 'test-support', 'fake-vscode.js');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fakePath;
    return originalResolve.call(this, request, ...rest);
};

// eslint-disable-next-line @typescript-eslint/no-var-requires
const vscode = require(fakePath) as typeof import('../test-support/fake-vscode');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const extension = require('../extension') as typeof import('../extension');
const { fake, Uri } = vscode;

type Outcome = import('../extension').BuildOutcome;

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await probe();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 10));
    }
}

describe('extension with a fake VS Code and a fake server', () => {
    let dir: string;
    let ws: string;
    let wrapper: string;
    let api: import('../extension').EnvbuilderApi;
    const context = { subscriptions: [] as { dispose(): unknown }[], extensionPath: path.join(__dirname, '..', '..') };

    const baseSettings = () => ({ envbuilder: { path: wrapper, lint: { disabledRules: ['DL3008'] } } });
    const run = (id: string, ...args: unknown[]) => fake.commands.get(id)!(...args) as Promise<Outcome>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const serverState = async (): Promise<any> => api.client()!.sendRequest('fake/state');
    const lastExecute = async () => {
        const s = await serverState();
        return s.executeCommands[s.executeCommands.length - 1];
    };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envbuilder-vscode-test-'));
        ws = path.join(dir, 'ws');
        for (const sub of ['', '.devcontainer', 'fail', 'slow', 'src']) fs.mkdirSync(path.join(ws, sub), { recursive: true });
        fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM debian:12\nRUN make\nCOPY . /src\n');
        fs.writeFileSync(path.join(ws, '.devcontainer', 'devcontainer.json'), '{ "build": { "dockerfile": "../Dockerfile" } }\n');
        wrapper = path.join(dir, 'bin', 'envbuilder');
        fs.mkdirSync(path.dirname(wrapper));
        const server = path.join(__dirname, '..', 'test-support', 'fake-server.js');
        fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${server}" "$@"\n`, { mode: 0o755 });

        fake.workspaceFolders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
        fake.settings = baseSettings();
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        api = extension.activate(context as any);
        assert.equal(await api.ready, true, 'the server starts');
    });

    after(async () => {
        await extension.deactivate();
        for (const d of context.subscriptions) d.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    test('starts `envbuilder lsp --stdio` and owns the build commands', async () => {
        assert.equal(api.serverCommand(), wrapper);
        const state = await serverState();
        assert.deepEqual(state.argv, ['lsp', '--stdio']);
        for (const id of ['envbuilder.build', 'envbuilder.buildAndPush', 'envbuilder.cancelBuild']) {
            assert.ok(fake.commands.has(id), id);
        }
        // Server commands we do not own are still registered by the language client.
        assert.equal(await fake.commands.get('envbuilder.fakeExtra')!(), 'extra');
        // The server pulls the `envbuilder` section through workspace/configuration.
        const pulled = await waitFor('workspace/configuration', async () => (await serverState()).configuration);
        assert.deepEqual(pulled, [baseSettings().envbuilder]);
    });

    test('syncs Dockerfiles and devcontainer.json, not other JSON', async () => {
        fake.openDocument(path.join(ws, 'Dockerfile'), 'dockerfile', 'FROM debian:12\n');
        fake.openDocument(path.join(ws, '.devcontainer', 'devcontainer.json'), 'jsonc', '{}');
        fake.openDocument(path.join(ws, 'package.json'), 'json', '{}');
        fake.openDocument(path.join(ws, 'api.Dockerfile'), 'plaintext', 'FROM x\n');
        const opened = await waitFor('didOpen', async () => {
            const s = await serverState();
            return s.opened.length >= 3 && s.opened;
        });
        const uris = opened.map((o: { uri: string }) => o.uri);
        assert.ok(uris.includes(Uri.file(path.join(ws, 'Dockerfile')).toString()));
        assert.ok(uris.includes(Uri.file(path.join(ws, '.devcontainer', 'devcontainer.json')).toString()));
        assert.ok(uris.includes(Uri.file(path.join(ws, 'api.Dockerfile')).toString()));
        assert.ok(!uris.includes(Uri.file(path.join(ws, 'package.json')).toString()));
    });

    test('build of the active Dockerfile: arguments, progress, log, one result popup', async () => {
        fake.reset();
        fake.setSettings({
            envbuilder: {
                ...baseSettings().envbuilder,
                image: 'registry.local/app:dev', registryMirrors: ['mirror.local:5000'], buildArgs: { VERSION: 2 }, baseImage: '',
            },
        });
        const doc = fake.textDocuments.find(d => d.fileName.endsWith(`${path.sep}Dockerfile`))!;
        fake.showDocument(doc);
        const outcome = await run('envbuilder.build');
        assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));

        const params = await lastExecute();
        assert.equal(params.command, 'envbuilder.build');
        assert.deepEqual(params.arguments, [doc.uri.toString(), {
            image: 'registry.local/app:dev', registryMirrors: ['mirror.local:5000'], buildArgs: { VERSION: '2' },
        }]);
        assert.equal(typeof params.workDoneToken, 'string');

        assert.equal(fake.progress.length, 1);
        const p = fake.progress[0];
        assert.equal(p.options.location, vscode.ProgressLocation.Notification);
        assert.equal(p.options.cancellable, true);
        assert.equal(p.options.title, 'Envbuilder: Build Dockerfile');
        const messages = p.reports.map(r => r.message).filter(Boolean);
        assert.deepEqual(messages.slice(0, 3), ['step 1/3: FROM debian:12', 'step 2/3: RUN make', 'step 3/3: COPY . /src']);
        const total = p.reports.reduce((n, r) => n + (r.increment ?? 0), 0);
        assert.ok(total > 0 && total <= 100, `increments add up to ${total}`);

        const log = fake.channel('Envbuilder Build')!;
        for (const line of ['#1 FROM debian:12', '#2 RUN make', '#3 COPY . /src']) assert.ok(log.lines.includes(line), line);
        const digest = 'sha256:' + 'ab'.repeat(32);
        // The server's own showMessage went to the log, not to a second popup.
        assert.ok(log.lines.includes(`Envbuilder: built ${digest}`));
        assert.deepEqual(fake.messages, [{ kind: 'info', message: `Envbuilder: built Dockerfile → ${digest}`, items: ['Copy Digest'] }]);
        assert.equal(fake.contexts.get('envbuilder.buildRunning'), false);
        assert.ok(fake.executed.some(e => e.command === 'setContext' && e.args[1] === true));
    });

    test('Copy Digest puts the digest on the clipboard', async () => {
        fake.reset();
        fake.messageAnswers = ['Copy Digest'];
        const outcome = await run('envbuilder.build');
        assert.equal(outcome.status, 'succeeded');
        await waitFor('clipboard', () => fake.clipboard.startsWith('sha256:'));
    });

    test('explorer click on a failing Dockerfile: error popup with the server message', async () => {
        fake.reset();
        fake.messageAnswers = ['Show Build Log'];
        const clicked = Uri.file(path.join(ws, 'fail', 'Dockerfile'));
        const log = fake.channel('Envbuilder Build')!;
        const shownBefore = log.shown;
        const outcome = await run('envbuilder.build', clicked, [clicked]);
        assert.deepEqual(outcome, { status: 'failed', message: 'Envbuilder: step 2/3 RUN make: exit status 2' });
        assert.equal((await lastExecute()).arguments[0], clicked.toString());
        assert.deepEqual(fake.messages, [{ kind: 'error', message: 'Envbuilder: step 2/3 RUN make: exit status 2', items: ['Show Build Log'] }]);
        assert.ok(log.lines.includes('make: *** No targets.  Stop.'));
        await waitFor('log shown', () => log.shown > shownBefore + 1);
    });

    test('the progress cancel button reaches the server', async () => {
        fake.reset();
        const nextProgress = fake.nextProgress();
        const clicked = Uri.file(path.join(ws, 'slow', 'Dockerfile'));
        const building = run('envbuilder.build', clicked, { groupId: 0 });
        const p = await nextProgress;
        await waitFor('step 2', () => p.reports.some(r => r.message === 'step 2/3: RUN make'));
        p.cancel();
        const outcome = await building;
        assert.equal(outcome.status, 'cancelled');
        const state = await serverState();
        const token = state.executeCommands[state.executeCommands.length - 1].workDoneToken;
        assert.deepEqual(state.progressCancels, [{ token }]);
        assert.ok(state.cancelledBy.includes('window/workDoneProgress/cancel') || state.cancelledBy.includes('$/cancelRequest'));
        assert.deepEqual(fake.messages, [{ kind: 'info', message: 'Envbuilder: build cancelled', items: [] }]);
    });

    test('a second build of the same workspace fails; envbuilder.cancelBuild stops the first', async () => {
        fake.reset();
        const nextProgress = fake.nextProgress();
        const slow = Uri.file(path.join(ws, 'slow', 'Dockerfile'));
        const first = run('envbuilder.build', slow);
        const p = await nextProgress;
        await waitFor('step 2', () => p.reports.some(r => r.message === 'step 2/3: RUN make'));
        const second = await run('envbuilder.build', slow);
        assert.equal(second.status, 'failed');
        assert.match(second.message, /already running/);

        const cancelled = await fake.commands.get('envbuilder.cancelBuild')!();
        assert.deepEqual(cancelled, { cancelled: 1 });
        assert.equal((await first).status, 'cancelled');
        assert.deepEqual((await lastExecute()), { command: 'envbuilder.cancelBuild', arguments: [] });
        assert.ok(fake.messages.some(m => m.message === 'Envbuilder: cancelled 1 build'));
    });

    test('buildAndPush asks for an image when none is set', async () => {
        fake.reset();
        fake.setSettings(baseSettings());
        const devcontainer = Uri.file(path.join(ws, '.devcontainer', 'devcontainer.json'));

        fake.inputAnswers = [undefined];
        const before = (await serverState()).executeCommands.length;
        assert.equal((await run('envbuilder.buildAndPush', devcontainer)).status, 'skipped');
        assert.equal((await serverState()).executeCommands.length, before, 'nothing sent when the prompt is dismissed');

        fake.inputAnswers = [' registry.local/app:1 '];
        const outcome = await run('envbuilder.buildAndPush', devcontainer);
        assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
        assert.equal(fake.inputBoxes.length, 2);
        assert.equal(fake.inputBoxes[1].validateInput('bad ref'), 'An image reference has no spaces');
        const params = await lastExecute();
        assert.deepEqual(params.arguments, [devcontainer.toString(), { image: 'registry.local/app:1' }]);
        assert.deepEqual((outcome as { result: { pushed: string[] } }).result.pushed, [`registry.local/app:1@sha256:${'ab'.repeat(32)}`]);
    });

    test('with no editor the first workspace folder is built', async () => {
        fake.reset();
        fake.showDocument(undefined);
        assert.equal((await run('envbuilder.build')).status, 'succeeded');
        assert.equal((await lastExecute()).arguments[0], Uri.file(ws).toString());
    });

    test('a missing server binary is reported; fixing envbuilder.path restarts the server', async () => {
        fake.reset();
        fake.messageAnswers = ['Open Settings'];
        fake.setSettings({ envbuilder: { path: path.join(dir, 'nowhere', 'envbuilder') } });
        const m = await fake.waitForMessage(x => x.kind === 'error');
        assert.match(m.message, /cannot find the server executable/);
        assert.deepEqual(m.items, ['Open Settings', 'Show Details']);
        await waitFor('settings opened', () => fake.executed.some(e => e.command === 'workbench.action.openSettings' && e.args[0] === 'envbuilder.path'));
        assert.equal(api.client(), undefined);

        fake.reset();
        fake.setSettings(baseSettings());
        await waitFor('restart', () => api.client());
        assert.equal((await run('envbuilder.build')).status, 'succeeded');
    });
});
