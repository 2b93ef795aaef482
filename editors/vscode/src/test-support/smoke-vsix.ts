// Loads the extension out of an unpacked .vsix (argv[2]: the folder holding extension/),
// with only the modules the .vsix carries, and runs one build against the fake server.
// Proves the package is complete at run time. Usage: node smoke-vsix.js DIR

import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

async function main(): Promise<void> {
    const unpacked = path.resolve(process.argv[2] ?? '');
    const main = path.join(unpacked, 'extension', 'out', 'extension.js');
    assert.ok(fs.existsSync(main), `${main} exists`);

    const fakePath = path.join(__dirname, 'fake-vscode.js');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const Module = require('module') as { _resolveFilename: (request: string, parent?: { filename?: string }, ...rest: unknown[]) => string };
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request: string, parent?: { filename?: string }, ...rest: unknown[]) {
        if (request === 'vscode') return fakePath;
        const resolved = resolve.call(this, request, parent, ...rest);
        // Everything the packaged extension loads must come from the package itself.
        if (parent?.filename?.startsWith(unpacked) && path.isAbsolute(resolved) && !resolved.startsWith(unpacked)) {
            throw new Error(`${request} resolved outside the .vsix: ${resolved}`);
        }
        return resolved;
    };

    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const vscode = require(fakePath) as typeof import('./fake-vscode');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const extension = require(main) as typeof import('../extension');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envbuilder-vsix-smoke-'));
    try {
        const ws = path.join(dir, 'ws');
        fs.mkdirSync(ws);
        fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM debian:12\n');
        const wrapper = path.join(dir, 'envbuilder');
        fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${path.join(__dirname, 'fake-server.js')}" "$@"\n`, { mode: 0o755 });
        vscode.fake.workspaceFolders = [{ uri: vscode.Uri.file(ws), name: 'ws', index: 0 }];
        vscode.fake.settings = { envbuilder: { path: wrapper } };
        const context = { subscriptions: [] as { dispose(): unknown }[], extensionPath: path.join(unpacked, 'extension') };
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const api = extension.activate(context as any);
        assert.equal(await api.ready, true, 'server started');
        const outcome = await vscode.fake.commands.get('envbuilder.build')!() as { status: string };
        assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
        await extension.deactivate();
        context.subscriptions.forEach(d => d.dispose());
        console.log(`vsix smoke test: the packaged extension started the server and built (${main})`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().then(() => process.exit(0), error => {
    console.error(error);
    process.exit(1);
});
