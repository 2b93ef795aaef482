// Pure logic of the Envbuilder extension: no `vscode` import, so every function here
// can be unit tested under plain Node (see src/test/logic.test.ts).
//
// URIs travel as strings (the `toString()` of a vscode.Uri); file system paths are
// POSIX or Windows strings; the file system is reached only through injected callbacks.

import * as path from 'path';

/** Commands the server advertises and this extension registers itself in VS Code. */
export const BUILD_COMMAND = 'envbuilder.build';
export const BUILD_AND_PUSH_COMMAND = 'envbuilder.buildAndPush';
export const CANCEL_BUILD_COMMAND = 'envbuilder.cancelBuild';
export const OWNED_COMMANDS: readonly string[] = [BUILD_COMMAND, BUILD_AND_PUSH_COMMAND, CANCEL_BUILD_COMMAND];

/** Custom notification carrying one line of build output. */
export const BUILD_LOG_NOTIFICATION = 'envbuilder/buildLog';

/** JSON-RPC / LSP error codes the server answers builds with. */
export const REQUEST_CANCELLED = -32800;
export const REQUEST_FAILED = -32803;

// ---------------------------------------------------------------------------------------
// Settings → workspace/executeCommand arguments

/** The `envbuilder` settings section as VS Code returns it (values may be of any type). */
export interface RawSettings {
    path?: unknown;
    image?: unknown;
    baseImage?: unknown;
    registryMirrors?: unknown;
    insecureRegistries?: unknown;
    buildArgs?: unknown;
    lint?: unknown;
}

/** arguments[1] of envbuilder.build / envbuilder.buildAndPush. */
export interface BuildOverrides {
    image?: string | string[];
    baseImage?: string;
    registryMirrors?: string[];
    insecureRegistries?: string[];
    buildArgs?: Record<string, string>;
    platform?: string;
    noCache?: boolean;
}

const OVERRIDE_KEYS: readonly (keyof BuildOverrides)[] =
    ['image', 'baseImage', 'registryMirrors', 'insecureRegistries', 'buildArgs', 'platform', 'noCache'];

function cleanString(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
}

function cleanStringList(value: unknown): string[] | undefined {
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    const out: string[] = [];
    for (const item of items) {
        const s = cleanString(item);
        if (s !== undefined && !out.includes(s)) out.push(s);
    }
    return out.length ? out : undefined;
}

function cleanImage(value: unknown): string | string[] | undefined {
    const list = cleanStringList(value);
    if (!list) return undefined;
    return list.length === 1 ? list[0] : list;
}

function cleanBuildArgs(value: unknown): Record<string, string> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, string> = {};
    let any = false;
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const key = name.trim();
        if (key === '' || v === null || v === undefined) continue;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
            out[key] = String(v);
            any = true;
        }
    }
    return any ? out : undefined;
}

/**
 * Normalises any object into build overrides: only the keys the server knows, with the
 * right types; empty strings, empty lists and empty maps are dropped so the server falls
 * back to its own settings for them.
 */
export function pickOverrides(value: unknown): BuildOverrides {
    const out: BuildOverrides = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
    const v = value as Record<string, unknown>;
    const image = cleanImage(v.image);
    if (image !== undefined) out.image = image;
    const baseImage = cleanString(v.baseImage);
    if (baseImage !== undefined) out.baseImage = baseImage;
    const mirrors = cleanStringList(v.registryMirrors);
    if (mirrors) out.registryMirrors = mirrors;
    const insecure = cleanStringList(v.insecureRegistries);
    if (insecure) out.insecureRegistries = insecure;
    const buildArgs = cleanBuildArgs(v.buildArgs);
    if (buildArgs) out.buildArgs = buildArgs;
    const platform = cleanString(v.platform);
    if (platform !== undefined) out.platform = platform;
    if (typeof v.noCache === 'boolean') out.noCache = v.noCache;
    return out;
}

/** True when `value` looks like an overrides object (and not, e.g., VS Code's `{groupId}` menu context). */
export function isOverridesLike(value: unknown): boolean {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const keys = Object.keys(value as object);
    return keys.length > 0 && keys.every(k => (OVERRIDE_KEYS as readonly string[]).includes(k));
}

/**
 * The overrides sent with a build: the (resource-scoped) settings, then explicit overrides
 * given to the command (e.g. by a keybinding or another extension), which win.
 */
export function buildOverrides(settings: RawSettings | undefined, explicit?: unknown): BuildOverrides {
    const fromSettings = pickOverrides({
        image: settings?.image,
        baseImage: settings?.baseImage,
        registryMirrors: settings?.registryMirrors,
        insecureRegistries: settings?.insecureRegistries,
        buildArgs: settings?.buildArgs,
    });
    const fromCaller = pickOverrides(explicit);
    const merged: BuildOverrides = { ...fromSettings, ...fromCaller };
    if (fromSettings.buildArgs && fromCaller.buildArgs) {
        merged.buildArgs = { ...fromSettings.buildArgs, ...fromCaller.buildArgs };
    }
    return merged;
}

export interface ExecuteCommandParams {
    command: string;
    arguments: unknown[];
    workDoneToken?: string | number;
}

/** The params of the workspace/executeCommand request for a build. */
export function buildCommandParams(
    command: string, targetUri: string, overrides: BuildOverrides, workDoneToken?: string,
): ExecuteCommandParams {
    const params: ExecuteCommandParams = {
        command,
        arguments: Object.keys(overrides).length ? [targetUri, overrides] : [targetUri],
    };
    if (workDoneToken !== undefined) params.workDoneToken = workDoneToken;
    return params;
}

/** The params of envbuilder.cancelBuild: with a URI only cancels that workspace's build. */
export function cancelCommandParams(targetUri?: string): ExecuteCommandParams {
    return { command: CANCEL_BUILD_COMMAND, arguments: targetUri ? [targetUri] : [] };
}

/** Whether envbuilder.buildAndPush would fail for want of an image: then the user is asked for one. */
export function needsImagePrompt(command: string, overrides: BuildOverrides): boolean {
    return command === BUILD_AND_PUSH_COMMAND && overrides.image === undefined;
}

/**
 * Checks an image reference typed by the user; returns an error message or undefined.
 * Lenient on purpose (the server does the real parsing): no spaces, no scheme, sane characters.
 */
export function validateImageReference(value: string): string | undefined {
    const v = value.trim();
    if (v === '') return 'Enter an image reference such as registry.example.com/team/app:latest';
    if (/\s/.test(v)) return 'An image reference has no spaces';
    if (/^[a-z]+:\/\//i.test(v)) return 'Leave out the scheme (no http:// or https://)';
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(v)) return 'Only letters, digits and . _ - / : @ may appear in an image reference';
    if (v.endsWith(':') || v.endsWith('/') || v.endsWith('@')) return 'The reference is incomplete';
    return undefined;
}

/** The workspace/executeCommand filter: commands the language client may register itself. */
export function filterClientCommands(advertised: readonly string[] | undefined, owned: readonly string[] = OWNED_COMMANDS): string[] {
    return (advertised ?? []).filter(c => !owned.includes(c));
}

/** Whether the running server advertises `command` in executeCommandProvider.commands. */
export function serverSupports(command: string, capabilities: unknown): boolean {
    const provider = (capabilities as { executeCommandProvider?: { commands?: unknown } } | undefined)?.executeCommandProvider;
    return Array.isArray(provider?.commands) && provider!.commands.includes(command);
}

// ---------------------------------------------------------------------------------------
// Which documents the server handles

const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:\..+)?$|^.+\.(?:Dockerfile|dockerfile|Containerfile|containerfile)$/;

/** Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* (and the Containerfile twins). */
export function isDockerfileName(name: string): boolean {
    return DOCKERFILE_NAME.test(name);
}

function segments(p: string): string[] {
    return p.split(/[\\/]+/).filter(s => s !== '');
}

/** .devcontainer/devcontainer.json, .devcontainer.json, .devcontainer/<name>/devcontainer.json */
export function isDevcontainerPath(p: string): boolean {
    const parts = segments(p);
    const base = parts[parts.length - 1];
    if (base === '.devcontainer.json') return true;
    if (base !== 'devcontainer.json') return false;
    if (parts[parts.length - 2] === '.devcontainer') return true;
    return parts[parts.length - 3] === '.devcontainer';
}

export interface DocumentInfo {
    /** URI string of the document. */
    uri: string;
    /** The path part (fsPath or URI path) used to look at the name. */
    path: string;
    languageId?: string;
}

/** Whether a document is one the server builds from (and so a build target by itself). */
export function isBuildDocument(doc: DocumentInfo): boolean {
    const parts = segments(doc.path);
    const base = parts[parts.length - 1] ?? '';
    if (doc.languageId === 'dockerfile' || isDockerfileName(base)) return true;
    return isDevcontainerPath(doc.path) && (doc.languageId === undefined || doc.languageId === 'json' || doc.languageId === 'jsonc');
}

/** Document filters for the language client (LSP DocumentFilter shape). */
export type DocumentFilter =
    | { language: string; scheme?: string; pattern?: string }
    | { language?: string; scheme: string; pattern?: string }
    | { language?: string; scheme?: string; pattern: string };

export function documentSelector(): DocumentFilter[] {
    const devcontainer = '**/{.devcontainer/devcontainer.json,.devcontainer.json,.devcontainer/*/devcontainer.json}';
    return [
        { language: 'dockerfile' },
        { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}' },
        { scheme: 'untitled', language: 'dockerfile' },
        { language: 'jsonc', pattern: devcontainer },
        { language: 'json', pattern: devcontainer },
    ];
}

// ---------------------------------------------------------------------------------------
// Build target

export interface FolderInfo {
    uri: string;
    /** fsPath of the folder. */
    path: string;
}

export interface TargetInput {
    /** A URI string handed to the command (clicked resource, editor title, or a caller). */
    clicked?: string;
    /** The active text editor's document. */
    active?: DocumentInfo;
    workspaceFolders?: readonly FolderInfo[];
}

function isInside(child: string, parent: string): boolean {
    const rel = path.relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder holding `p`, the deepest one when folders nest. */
export function containingFolder(p: string, folders: readonly FolderInfo[] | undefined): FolderInfo | undefined {
    let best: FolderInfo | undefined;
    for (const f of folders ?? []) {
        if (isInside(p, f.path) && (!best || f.path.length > best.path.length)) best = f;
    }
    return best;
}

/**
 * What to build: the clicked resource; else the active editor's Dockerfile or
 * devcontainer.json; else the workspace folder holding the active file; else the first
 * workspace folder. Undefined when there is nothing at all.
 */
export function resolveTarget(input: TargetInput): string | undefined {
    if (input.clicked) return input.clicked;
    const active = input.active;
    if (active && /^file:/.test(active.uri) && isBuildDocument(active)) return active.uri;
    if (active && /^file:/.test(active.uri)) {
        const folder = containingFolder(active.path, input.workspaceFolders);
        if (folder) return folder.uri;
    }
    return input.workspaceFolders?.[0]?.uri;
}

/** A short human name for a target URI: its last path segment. */
export function targetLabel(uri: string): string {
    const withoutQuery = uri.replace(/[?#].*$/, '');
    const parts = withoutQuery.split('/').filter(s => s !== '');
    const last = parts[parts.length - 1] ?? uri;
    try {
        return decodeURIComponent(last);
    } catch {
        return last;
    }
}

// ---------------------------------------------------------------------------------------
// Server executable

export interface ServerPathInput {
    /** envbuilder.path as configured ("" or undefined mean the default). */
    configured?: string;
    /** fsPaths of the workspace folders, in order. */
    workspaceFolders?: readonly string[];
    /** The PATH environment variable. */
    envPath?: string;
    /** PATHEXT on Windows. */
    envPathExt?: string;
    platform?: NodeJS.Platform;
    /** The user's home directory, for a leading ~. */
    home?: string;
    /** Whether workspace-provided binaries (build/envbuilder, relative paths) may run. */
    trusted?: boolean;
    /** Whether an executable file exists at an absolute path. */
    isExecutable: (absolutePath: string) => boolean;
}

export interface ServerPathResult {
    /** The executable to spawn, or undefined when none was found. */
    command?: string;
    /** Every absolute path looked at, in order (for the error message). */
    tried: string[];
}

export const DEFAULT_SERVER = 'envbuilder';

/**
 * Finds the server executable. envbuilder.path may be a bare name (looked up on PATH, then
 * in each workspace folder's build/ directory, where a CMake build puts it), an absolute
 * path, a path starting with ~, or a path relative to a workspace folder; ${workspaceFolder}
 * is replaced by each folder in turn.
 */
export function resolveServerPath(input: ServerPathInput): ServerPathResult {
    const platform = input.platform ?? process.platform;
    const p = platform === 'win32' ? path.win32 : path.posix;
    const tried: string[] = [];
    const folders = input.trusted === false ? [] : (input.workspaceFolders ?? []);
    const exts = platform === 'win32'
        ? ['', ...(input.envPathExt ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(e => e !== '')]
        : [''];
    const check = (candidate: string): string | undefined => {
        for (const ext of exts) {
            const full = candidate + ext;
            if (!tried.includes(full)) tried.push(full);
            if (input.isExecutable(full)) return full;
        }
        return undefined;
    };

    let configured = (input.configured ?? '').trim() || DEFAULT_SERVER;
    if (input.home && (configured === '~' || configured.startsWith('~/') || configured.startsWith('~\\'))) {
        configured = p.join(input.home, configured.slice(1));
    }

    if (configured.includes('${workspaceFolder}')) {
        for (const folder of folders) {
            const found = check(p.normalize(configured.split('${workspaceFolder}').join(folder)));
            if (found) return { command: found, tried };
        }
        return { tried };
    }

    const hasSeparator = configured.includes('/') || (platform === 'win32' && configured.includes('\\'));
    if (p.isAbsolute(configured)) {
        const found = check(configured);
        return found ? { command: found, tried } : { tried };
    }
    if (hasSeparator) {
        for (const folder of folders) {
            const found = check(p.resolve(folder, configured));
            if (found) return { command: found, tried };
        }
        return { tried };
    }

    const delimiter = platform === 'win32' ? ';' : ':';
    for (const dir of (input.envPath ?? '').split(delimiter)) {
        if (dir === '' || !p.isAbsolute(dir)) continue;
        const found = check(p.join(dir, configured));
        if (found) return { command: found, tried };
    }
    for (const folder of folders) {
        const found = check(p.join(folder, 'build', configured));
        if (found) return { command: found, tried };
    }
    return { tried };
}

/** The arguments the server is started with. */
export const SERVER_ARGS: readonly string[] = ['lsp', '--stdio'];

// ---------------------------------------------------------------------------------------
// Progress, results and errors

export interface WorkDoneValue {
    kind: 'begin' | 'report' | 'end';
    title?: string;
    message?: string;
    percentage?: number;
    cancellable?: boolean;
}

/**
 * Tracks $/progress values for vscode.Progress.report, which takes increments rather than
 * absolute percentages.
 */
export class ProgressTracker {
    private reported = 0;
    /** The last message of the server (begin/report/end). */
    message: string | undefined;
    done = false;

    /** The { message, increment } to report for one $/progress value, or undefined for none. */
    update(value: WorkDoneValue): { message?: string; increment?: number } | undefined {
        if (this.done) return undefined;
        if (value.kind === 'end') {
            this.done = true;
            if (value.message) this.message = value.message;
            return value.message ? { message: value.message } : undefined;
        }
        const out: { message?: string; increment?: number } = {};
        if (typeof value.message === 'string' && value.message !== '') {
            this.message = value.message;
            out.message = value.message;
        }
        if (typeof value.percentage === 'number' && Number.isFinite(value.percentage)) {
            const pct = Math.max(0, Math.min(100, value.percentage));
            if (pct > this.reported) {
                out.increment = pct - this.reported;
                this.reported = pct;
            }
        }
        return out.message !== undefined || out.increment !== undefined ? out : undefined;
    }

    get percentage(): number {
        return this.reported;
    }
}

export interface BuildResult {
    digest?: string;
    pushed?: string[];
}

/** The success message for a build result. */
export function describeResult(command: string, target: string, result: unknown): string {
    const r = (result ?? {}) as BuildResult;
    const label = targetLabel(target);
    const digest = typeof r.digest === 'string' && r.digest !== '' ? r.digest : undefined;
    const pushed = Array.isArray(r.pushed) ? r.pushed.filter((s): s is string => typeof s === 'string') : [];
    let text = digest ? `Envbuilder: built ${label} → ${digest}` : `Envbuilder: built ${label}`;
    if (pushed.length) text += `; pushed ${pushed.join(', ')}`;
    else if (command === BUILD_AND_PUSH_COMMAND) text += '; nothing was pushed';
    return text;
}

export interface ErrorDescription {
    cancelled: boolean;
    message: string;
}

/** What to tell the user about a failed build request. */
export function describeError(error: unknown): ErrorDescription {
    const e = error as { code?: unknown; message?: unknown } | undefined;
    const code = typeof e?.code === 'number' ? e.code : undefined;
    const raw = typeof e?.message === 'string' && e.message !== '' ? e.message
        : typeof error === 'string' ? error : 'unknown error';
    if (code === REQUEST_CANCELLED) return { cancelled: true, message: 'Envbuilder: build cancelled' };
    return { cancelled: false, message: raw.startsWith('Envbuilder') ? raw : `Envbuilder: ${raw}` };
}

/** The message for envbuilder.cancelBuild's answer. */
export function describeCancelResult(result: unknown): string {
    const n = (result as { cancelled?: unknown } | undefined)?.cancelled;
    const count = typeof n === 'number' ? n : 0;
    if (count === 0) return 'Envbuilder: no build was running';
    return `Envbuilder: cancelled ${count} build${count === 1 ? '' : 's'}`;
}

/** One line for the "Envbuilder Build" output channel from an envbuilder/buildLog notification. */
export function formatBuildLog(params: unknown, multipleBuilds: boolean): string | undefined {
    const p = params as { workspace?: unknown; step?: unknown; text?: unknown } | undefined;
    if (typeof p?.text !== 'string') return undefined;
    const text = p.text.replace(/\r?\n$/, '');
    if (multipleBuilds && typeof p.workspace === 'string') return `[${targetLabel(p.workspace)}] ${text}`;
    return text;
}

/**
 * Decides whether a server window/showMessage is a duplicate of the notification the
 * extension itself shows for a build it started: the server announces every build's end
 * with showMessage, and the extension shows the request's result or error. Messages that
 * arrive while one of our builds runs, or within `graceMs` after it ended, go to the build
 * output channel instead of a second popup.
 */
export class MessageGate {
    private active = 0;
    private lastEnd = -Infinity;

    constructor(private readonly graceMs = 3000) {}

    begin(): void {
        this.active++;
    }

    end(now: number): void {
        if (this.active > 0) this.active--;
        this.lastEnd = now;
    }

    get running(): number {
        return this.active;
    }

    suppress(now: number): boolean {
        return this.active > 0 || now - this.lastEnd <= this.graceMs;
    }
}
