// A fake `envbuilder lsp --stdio` implementing the build-command contract, for the
// extension tests. It is started through a small shell wrapper named `envbuilder`.
//
// Behaviour is picked by the target URI: a path containing "fail" fails at step 2,
// "slow" runs until cancelled, anything else succeeds. `fake/state` returns what the
// server saw.

import {
    createMessageConnection,
    ResponseError,
    StreamMessageReader,
    StreamMessageWriter,
} from 'vscode-jsonrpc/node';

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));

const COMMANDS = ['envbuilder.build', 'envbuilder.buildAndPush', 'envbuilder.cancelBuild', 'envbuilder.fakeExtra'];
const DIGEST = 'sha256:' + 'ab'.repeat(32);

interface Running {
    workspace: string;
    token?: string | number;
    cancel: (how: string) => void;
}

const state = {
    argv: process.argv.slice(2),
    initialize: undefined as unknown,
    configuration: undefined as unknown,
    opened: [] as { uri: string; languageId: string }[],
    executeCommands: [] as unknown[],
    progressCancels: [] as unknown[],
    cancelledBy: [] as string[],
};
const running = new Map<string, Running>();

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function progress(token: string | number | undefined, value: unknown): void {
    if (token !== undefined) void connection.sendNotification('$/progress', { token, value });
}

function workspaceOf(target: string): string {
    const i = target.indexOf('/.devcontainer');
    if (i >= 0) return target.slice(0, i);
    return target.replace(/\/[^/]*(Dockerfile|Containerfile)[^/]*$/, '');
}

connection.onRequest('initialize', (params: unknown) => {
    state.initialize = params;
    return {
        capabilities: {
            textDocumentSync: 1,
            executeCommandProvider: { commands: COMMANDS },
        },
        serverInfo: { name: 'fake-envbuilder', version: '0' },
    };
});

connection.onNotification('initialized', async () => {
    try {
        state.configuration = await connection.sendRequest('workspace/configuration', { items: [{ section: 'envbuilder' }] });
    } catch (e) {
        state.configuration = { error: String(e) };
    }
});

connection.onNotification('textDocument/didOpen', (p: { textDocument: { uri: string; languageId: string } }) => {
    state.opened.push({ uri: p.textDocument.uri, languageId: p.textDocument.languageId });
});

connection.onNotification('window/workDoneProgress/cancel', (p: { token: string | number }) => {
    state.progressCancels.push(p);
    for (const r of running.values()) if (r.token === p.token) r.cancel('window/workDoneProgress/cancel');
});

connection.onRequest('fake/state', () => state);
connection.onRequest('shutdown', () => null);
connection.onNotification('exit', () => process.exit(0));

async function build(command: string, args: unknown[], token: string | number | undefined, cancelToken: { isCancellationRequested: boolean; onCancellationRequested: (l: () => void) => unknown }): Promise<unknown> {
    const target = typeof args[0] === 'string' ? args[0] : 'file:///default';
    const overrides = (args[1] ?? {}) as { image?: string | string[] };
    const workspace = workspaceOf(target);
    if (running.has(workspace)) {
        throw new ResponseError(-32803, `a build of ${workspace} is already running`);
    }
    if (command === 'envbuilder.buildAndPush' && !overrides.image) {
        throw new ResponseError(-32803, 'no image to push to: set envbuilder.image');
    }
    let cancelledHow: string | undefined;
    let wake: () => void = () => undefined;
    const entry: Running = { workspace, token, cancel: how => { cancelledHow ??= how; wake(); } };
    running.set(workspace, entry);
    cancelToken.onCancellationRequested(() => { state.cancelledBy.push('$/cancelRequest'); entry.cancel('$/cancelRequest'); });
    try {
        progress(token, { kind: 'begin', title: 'Envbuilder: Build', cancellable: true, percentage: 0 });
        const steps = ['FROM debian:12', 'RUN make', 'COPY . /src'];
        for (let i = 0; i < steps.length; i++) {
            const step = i + 1;
            progress(token, { kind: 'report', message: `step ${step}/${steps.length}: ${steps[i]}`, percentage: Math.round((step - 1) * 100 / steps.length) });
            void connection.sendNotification('window/logMessage', { type: 4, message: `step ${step}: ${steps[i]}` });
            void connection.sendNotification('envbuilder/buildLog', { workspace, step, text: `#${step} ${steps[i]}` });
            if (target.includes('slow') && step === 2) {
                await new Promise<void>(resolve => { wake = resolve; if (cancelledHow) resolve(); });
            }
            if (cancelledHow) {
                state.cancelledBy.push(cancelledHow);
                progress(token, { kind: 'end', message: 'cancelled' });
                throw new ResponseError(-32800, 'build cancelled');
            }
            if (target.includes('fail') && step === 2) {
                void connection.sendNotification('envbuilder/buildLog', { workspace, step, text: 'make: *** No targets.  Stop.' });
                progress(token, { kind: 'end', message: 'failed at step 2' });
                void connection.sendNotification('window/showMessage', { type: 1, message: 'Envbuilder: build failed at step 2/3' });
                throw new ResponseError(-32803, 'step 2/3 RUN make: exit status 2');
            }
            await sleep(5);
        }
        progress(token, { kind: 'end', message: DIGEST });
        void connection.sendNotification('window/showMessage', { type: 3, message: `Envbuilder: built ${DIGEST}` });
        const images = overrides.image === undefined ? [] : Array.isArray(overrides.image) ? overrides.image : [overrides.image];
        return { digest: DIGEST, pushed: command === 'envbuilder.buildAndPush' ? images.map(i => `${i}@${DIGEST}`) : [] };
    } finally {
        running.delete(workspace);
    }
}

connection.onRequest('workspace/executeCommand', async (params: { command: string; arguments?: unknown[]; workDoneToken?: string | number }, cancelToken) => {
    state.executeCommands.push(params);
    const args = params.arguments ?? [];
    switch (params.command) {
        case 'envbuilder.build':
        case 'envbuilder.buildAndPush':
            return build(params.command, args, params.workDoneToken, cancelToken);
        case 'envbuilder.cancelBuild': {
            let n = 0;
            const only = typeof args[0] === 'string' ? workspaceOf(args[0]) : undefined;
            for (const r of running.values()) {
                if (only === undefined || r.workspace === only) {
                    r.cancel('envbuilder.cancelBuild');
                    n++;
                }
            }
            return { cancelled: n };
        }
        case 'envbuilder.fakeExtra':
            return 'extra';
        default:
            throw new ResponseError(-32601, `unknown command ${params.command}`);
    }
});

connection.listen();
