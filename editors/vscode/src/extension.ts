// The Envbuilder VS Code extension: runs `envbuilder lsp --stdio` through
// vscode-languageclient for Dockerfiles and devcontainer.json, and drives the server's
// build commands (envbuilder.build, envbuilder.buildAndPush, envbuilder.cancelBuild).
//
// Decisions worth knowing (README.md explains them for users):
//  * The commands are registered here, not by the language client. vscode-languageclient
//    registers every command of executeCommandProvider.commands as a VS Code command and
//    would collide with ours ("command already exists"); its ExecuteCommandFeature is told
//    to skip the commands this extension owns and still registers any others.
//  * Progress: vscode-languageclient 8 sends workspace/executeCommand without a
//    workDoneToken, and its own work-done progress (for server-created tokens) is shown in
//    the status bar (ProgressLocation.Window), which has no cancel button. So each build
//    request carries our own workDoneToken; its $/progress drives a cancellable
//    notification, and the cancel button sends window/workDoneProgress/cancel for that
//    token plus $/cancelRequest for the request (the server answers RequestCancelled).

import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    ServerOptions,
    ShowMessageNotification,
    MessageType,
    WorkDoneProgress,
    WorkDoneProgressCancelNotification,
} from 'vscode-languageclient/node';
import * as logic from './logic';

export interface EnvbuilderApi {
    /** Settles when the first start attempt of the server ended: true when it runs. */
    readonly ready: Promise<boolean>;
    /** The running language client, if any. */
    client(): LanguageClient | undefined;
    /** The executable the server was started from. */
    serverCommand(): string | undefined;
}

export type BuildOutcome =
    | { status: 'succeeded'; result: unknown; message: string }
    | { status: 'failed'; message: string }
    | { status: 'cancelled'; message: string }
    | { status: 'skipped'; message: string };

const RUNNING_CONTEXT = 'envbuilder.buildRunning';

let current: Controller | undefined;

export function activate(context: vscode.ExtensionContext): EnvbuilderApi {
    const controller = new Controller(context);
    current = controller;
    context.subscriptions.push(
        vscode.commands.registerCommand(logic.BUILD_COMMAND, (...args: unknown[]) => controller.build(logic.BUILD_COMMAND, args)),
        vscode.commands.registerCommand(logic.BUILD_AND_PUSH_COMMAND, (...args: unknown[]) => controller.build(logic.BUILD_AND_PUSH_COMMAND, args)),
        vscode.commands.registerCommand(logic.CANCEL_BUILD_COMMAND, (...args: unknown[]) => controller.cancel(args)),
        vscode.workspace.onDidChangeConfiguration(e => {
            if (e.affectsConfiguration('envbuilder.path')) void controller.restart();
        }),
        { dispose: () => void controller.stop() },
    );
    if (typeof vscode.workspace.onDidGrantWorkspaceTrust === 'function') {
        context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void controller.restart()));
    }
    const ready = controller.ensureClient().then(c => c !== undefined);
    return {
        ready,
        client: () => controller.runningClient(),
        serverCommand: () => controller.serverCommand,
    };
}

export async function deactivate(): Promise<void> {
    const c = current;
    current = undefined;
    await c?.stop();
}

/** A vscode.Uri, a URI string or an absolute path given to a command, as a URI string. */
function uriArgument(value: unknown): string | undefined {
    if (value instanceof vscode.Uri) return value.toString();
    if (typeof value === 'string') {
        if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(value)) return value;
        if (value.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(value)) return vscode.Uri.file(value).toString();
        return undefined;
    }
    const v = value as { scheme?: unknown; toString?: () => string } | undefined;
    if (v && typeof v.scheme === 'string' && typeof v.toString === 'function') return v.toString();
    return undefined;
}

function isExecutable(p: string): boolean {
    try {
        if (!fs.statSync(p).isFile()) return false;
        if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

class Controller {
    private client: LanguageClient | undefined;
    private starting: Promise<LanguageClient | undefined> | undefined;
    private readonly buildOutput: vscode.OutputChannel;
    private readonly serverOutput: vscode.OutputChannel;
    private readonly gate = new logic.MessageGate();
    private sequence = 0;
    private runningBuilds = 0;
    serverCommand: string | undefined;

    constructor(private readonly context: vscode.ExtensionContext) {
        this.buildOutput = vscode.window.createOutputChannel('Envbuilder Build');
        this.serverOutput = vscode.window.createOutputChannel('Envbuilder Language Server');
        context.subscriptions.push(this.buildOutput, this.serverOutput);
    }

    runningClient(): LanguageClient | undefined {
        return this.client?.isRunning() ? this.client : undefined;
    }

    private configuredPath(): string | undefined {
        return vscode.workspace.getConfiguration('envbuilder').get<string>('path');
    }

    private folders(): logic.FolderInfo[] {
        return (vscode.workspace.workspaceFolders ?? []).map(f => ({ uri: f.uri.toString(), path: f.uri.fsPath }));
    }

    /** The running client, starting the server first when needed; undefined (after telling the user) when it cannot run. */
    ensureClient(): Promise<LanguageClient | undefined> {
        if (this.client?.isRunning()) return Promise.resolve(this.client);
        if (!this.starting) {
            this.starting = this.start().finally(() => { this.starting = undefined; });
        }
        return this.starting;
    }

    private async start(): Promise<LanguageClient | undefined> {
        if (this.client) {
            const old = this.client;
            this.client = undefined;
            await old.dispose().catch(() => undefined);
        }
        const configured = this.configuredPath();
        const trusted = vscode.workspace.isTrusted !== false;
        const found = logic.resolveServerPath({
            configured,
            workspaceFolders: this.folders().map(f => f.path),
            envPath: process.env.PATH,
            envPathExt: process.env.PATHEXT,
            home: os.homedir(),
            trusted,
            isExecutable,
        });
        if (!found.command) {
            const what = (configured ?? '').trim() || logic.DEFAULT_SERVER;
            this.serverOutput.appendLine(`envbuilder server not found; looked at:\n  ${found.tried.join('\n  ')}`);
            const message = `Envbuilder: cannot find the server executable "${what}" (on PATH or in the workspace's build/).`
                + ' Set envbuilder.path to the envbuilder binary.';
            const show = vscode.window.showErrorMessage(message, 'Open Settings', 'Show Details');
            void Promise.resolve(show).then(choice => {
                if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'envbuilder.path');
                else if (choice === 'Show Details') this.serverOutput.show();
            });
            return undefined;
        }
        this.serverCommand = found.command;
        const client = this.createClient(found.command);
        this.client = client;
        try {
            await client.start();
            return client;
        } catch (error) {
            this.serverOutput.appendLine(`envbuilder server failed to start: ${String((error as Error)?.message ?? error)}`);
            if (this.client === client) this.client = undefined;
            return undefined;
        }
    }

    private createClient(command: string): LanguageClient {
        const folders = this.folders();
        const serverOptions: ServerOptions = {
            command,
            args: [...logic.SERVER_ARGS],
            options: folders.length ? { cwd: folders[0].path } : {},
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: logic.documentSelector(),
            synchronize: { configurationSection: 'envbuilder' },
            outputChannel: this.serverOutput,
            diagnosticCollectionName: 'envbuilder',
            middleware: {
                workspace: {
                    // A change of envbuilder.path restarts the server (see activate); telling
                    // the old one about it would race with its shutdown and pop up an error.
                    didChangeConfiguration: async (sections, next) => {
                        if (!client.isRunning() || this.configuredPath() !== startedWith) return;
                        return next(sections);
                    },
                },
            },
        };
        const startedWith = this.configuredPath();
        const client: LanguageClient = new LanguageClient('envbuilder', 'Envbuilder', serverOptions, clientOptions);

        // Keep vscode-languageclient from registering our own commands a second time.
        const getFeature = client.getFeature as unknown as (method: string) => unknown;
        const feature = getFeature.call(client, ExecuteCommandRequest.method) as
            { register?: (data: { id: string; registerOptions: { commands?: string[] } }) => void } | undefined;
        if (feature && typeof feature.register === 'function') {
            const register = feature.register.bind(feature);
            feature.register = data => register({
                ...data,
                registerOptions: { ...data.registerOptions, commands: logic.filterClientCommands(data.registerOptions?.commands) },
            });
        }

        client.onNotification(logic.BUILD_LOG_NOTIFICATION, (params: unknown) => {
            const line = logic.formatBuildLog(params, this.runningBuilds > 1);
            if (line !== undefined) this.buildOutput.appendLine(line);
        });
        // Replaces the client's default window/showMessage handler (installed before ours).
        client.onNotification(ShowMessageNotification.type, params => this.showServerMessage(params.type, params.message));
        return client;
    }

    private showServerMessage(type: MessageType, message: string): void {
        if (this.gate.suppress(Date.now())) {
            // The build we started reports its end itself (see MessageGate).
            this.buildOutput.appendLine(message);
            return;
        }
        switch (type) {
            case MessageType.Error: void vscode.window.showErrorMessage(message); break;
            case MessageType.Warning: void vscode.window.showWarningMessage(message); break;
            default: void vscode.window.showInformationMessage(message); break;
        }
    }

    async restart(): Promise<void> {
        await this.starting?.catch(() => undefined);
        await this.stop();
        await this.ensureClient();
    }

    async stop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client) {
            try {
                if (client.isRunning()) await client.stop(2000);
            } catch { /* already gone */ }
            await client.dispose().catch(() => undefined);
        }
    }

    private setRunning(delta: number): void {
        this.runningBuilds += delta;
        void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, this.runningBuilds > 0);
    }

    async build(command: string, args: unknown[]): Promise<BuildOutcome> {
        const [first, second] = args;
        const clicked = uriArgument(first);
        const explicit = logic.isOverridesLike(second) ? second : logic.isOverridesLike(first) ? first : undefined;
        const doc = vscode.window.activeTextEditor?.document;
        const target = logic.resolveTarget({
            clicked,
            active: doc ? { uri: doc.uri.toString(), path: doc.uri.fsPath, languageId: doc.languageId } : undefined,
            workspaceFolders: this.folders(),
        });
        if (!target) {
            const message = 'Envbuilder: open a folder, a Dockerfile or a devcontainer.json to build.';
            void vscode.window.showErrorMessage(message);
            return { status: 'skipped', message };
        }

        const settings = vscode.workspace.getConfiguration('envbuilder', vscode.Uri.parse(target));
        let overrides = logic.buildOverrides({
            image: settings.get('image'),
            baseImage: settings.get('baseImage'),
            registryMirrors: settings.get('registryMirrors'),
            insecureRegistries: settings.get('insecureRegistries'),
            buildArgs: settings.get('buildArgs'),
        }, explicit);
        if (logic.needsImagePrompt(command, overrides)) {
            const image = await vscode.window.showInputBox({
                title: 'Envbuilder: Build and Push',
                prompt: 'Image to push to (set envbuilder.image to stop being asked)',
                placeHolder: 'registry.example.com/team/app:latest',
                ignoreFocusOut: true,
                validateInput: value => logic.validateImageReference(value),
            });
            if (image === undefined) return { status: 'skipped', message: 'no image given' };
            overrides = { ...overrides, image: image.trim() };
        }

        const client = await this.ensureClient();
        if (!client) return { status: 'failed', message: 'Envbuilder: the language server is not running' };
        const capabilities = client.initializeResult?.capabilities;
        if (capabilities && !logic.serverSupports(command, capabilities)) {
            const message = `Envbuilder: the server (${this.serverCommand}) does not offer ${command}; it is too old for this extension.`;
            void vscode.window.showErrorMessage(message);
            return { status: 'failed', message };
        }

        const token = `envbuilder-build-${process.pid}-${Date.now()}-${++this.sequence}`;
        const params = logic.buildCommandParams(command, target, overrides, token);
        const label = logic.targetLabel(target);
        const verb = command === logic.BUILD_AND_PUSH_COMMAND ? 'Build and Push' : 'Build';
        this.buildOutput.appendLine(`--- ${verb} ${target}`);
        this.buildOutput.show(true);

        this.gate.begin();
        this.setRunning(+1);
        try {
            const result = await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Notification, title: `Envbuilder: ${verb} ${label}`, cancellable: true },
                async (progress, cancellation) => {
                    const tracker = new logic.ProgressTracker();
                    const progressSub = client.onProgress(WorkDoneProgress.type, token, value => {
                        const update = tracker.update(value as logic.WorkDoneValue);
                        if (update) progress.report(update);
                    });
                    const cancelSub = cancellation.onCancellationRequested(() => {
                        progress.report({ message: 'cancelling…' });
                        this.buildOutput.appendLine(`--- cancel requested for ${target}`);
                        void client.sendNotification(WorkDoneProgressCancelNotification.type, { token }).catch(() => undefined);
                    });
                    try {
                        // The token also sends $/cancelRequest for this request on cancel.
                        return await client.sendRequest(ExecuteCommandRequest.type, params, cancellation);
                    } finally {
                        progressSub.dispose();
                        cancelSub.dispose();
                    }
                });
            const message = logic.describeResult(command, target, result);
            this.buildOutput.appendLine(`--- ${message}`);
            const digest = (result as logic.BuildResult | undefined)?.digest;
            const actions = typeof digest === 'string' && digest ? ['Copy Digest'] : [];
            void Promise.resolve(vscode.window.showInformationMessage(message, ...actions)).then(choice => {
                if (choice === 'Copy Digest' && digest) void vscode.env.clipboard.writeText(digest);
            });
            return { status: 'succeeded', result, message };
        } catch (error) {
            const described = logic.describeError(error);
            this.buildOutput.appendLine(`--- ${described.message}`);
            if (described.cancelled) {
                void vscode.window.showInformationMessage(described.message);
                return { status: 'cancelled', message: described.message };
            }
            void Promise.resolve(vscode.window.showErrorMessage(described.message, 'Show Build Log')).then(choice => {
                if (choice === 'Show Build Log') this.buildOutput.show();
            });
            return { status: 'failed', message: described.message };
        } finally {
            this.gate.end(Date.now());
            this.setRunning(-1);
        }
    }

    async cancel(args: unknown[]): Promise<unknown> {
        const target = uriArgument(args[0]);
        const client = await this.ensureClient();
        if (!client) return undefined;
        try {
            const result = await client.sendRequest(ExecuteCommandRequest.type, logic.cancelCommandParams(target));
            const message = logic.describeCancelResult(result);
            void vscode.window.showInformationMessage(message);
            return result;
        } catch (error) {
            void vscode.window.showErrorMessage(logic.describeError(error).message);
            return undefined;
        }
    }
}
