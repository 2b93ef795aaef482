// A stand-in for the `vscode` module, complete enough for this extension and for the real
// vscode-languageclient to start a server, sync documents and route requests. Tests reach
// the recorded state through `fake` (same module instance: tests resolve `vscode` here).
//
// Anything not implemented falls back to a harmless stub: unknown top-level names are empty
// classes (the client extends a few at load time), unknown `onDid…`/`onWill…` members of
// workspace/window/languages are events that never fire.

/* eslint-disable @typescript-eslint/no-explicit-any */

type Listener<T> = (e: T) => any;

export class Disposable {
    constructor(private readonly fn: () => any = () => undefined) {}
    static from(...items: { dispose(): any }[]): Disposable {
        return new Disposable(() => items.forEach(i => i?.dispose()));
    }
    dispose(): any {
        return this.fn();
    }
}

export class EventEmitter<T> {
    private listeners = new Set<Listener<T>>();
    event = (listener: Listener<T>, thisArg?: any, disposables?: Disposable[]): Disposable => {
        const bound = thisArg ? listener.bind(thisArg) : listener;
        this.listeners.add(bound);
        const d = new Disposable(() => this.listeners.delete(bound));
        disposables?.push(d);
        return d;
    };
    fire(value: T): void {
        for (const l of [...this.listeners]) l(value);
    }
    dispose(): void {
        this.listeners.clear();
    }
}

const neverEvent = (): Disposable => new Disposable();

export class CancellationError extends Error {
    constructor() {
        super('Canceled');
        this.name = 'Canceled';
    }
}

export class CancellationTokenSource {
    private emitter = new EventEmitter<void>();
    private cancelled = false;
    readonly token = {
        isCancellationRequested: false,
        onCancellationRequested: this.emitter.event,
    };
    cancel(): void {
        if (this.cancelled) return;
        this.cancelled = true;
        this.token.isCancellationRequested = true;
        this.emitter.fire();
    }
    dispose(): void {
        this.emitter.dispose();
    }
}

function encodePath(p: string): string {
    return p.split('/').map(s => encodeURIComponent(s)).join('/');
}

export class Uri {
    private constructor(
        readonly scheme: string,
        readonly authority: string,
        readonly path: string,
        readonly query: string,
        readonly fragment: string,
    ) {}

    static parse(value: string): Uri {
        const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
        if (!m) throw new Error(`invalid URI ${value}`);
        return new Uri(m[1].toLowerCase(), m[2] ?? '', decodeURIComponent(m[3] ?? ''), m[4] ?? '', m[5] ?? '');
    }

    static file(p: string): Uri {
        return new Uri('file', '', p.replace(/\\/g, '/'), '', '');
    }

    static joinPath(base: Uri, ...segments: string[]): Uri {
        return base.with({ path: [base.path.replace(/\/$/, ''), ...segments].join('/') });
    }

    static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
        return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
    }

    get fsPath(): string {
        return this.path;
    }

    with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
        return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path,
            change.query ?? this.query, change.fragment ?? this.fragment);
    }

    toString(): string {
        let s = `${this.scheme}:`;
        if (this.authority || this.scheme === 'file') s += `//${this.authority}`;
        s += encodePath(this.path);
        if (this.query) s += `?${this.query}`;
        if (this.fragment) s += `#${this.fragment}`;
        return s;
    }

    toJSON(): any {
        return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
    }
}

export class Position {
    constructor(readonly line: number, readonly character: number) {}
}

export class Range {
    readonly start: Position;
    readonly end: Position;
    constructor(a: any, b: any, c?: number, d?: number) {
        if (typeof a === 'number') {
            this.start = new Position(a, b);
            this.end = new Position(c!, d!);
        } else {
            this.start = a;
            this.end = b;
        }
    }
}

export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }

export class Diagnostic {
    source?: string;
    code?: any;
    constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error) {}
}

export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }

export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }

export const version = '1.75.0';

// ---------------------------------------------------------------------------------------
// Recorded state

export interface RecordedMessage {
    kind: 'info' | 'warning' | 'error';
    message: string;
    items: any[];
}

export interface RecordedProgress {
    options: any;
    reports: any[];
    cancel(): void;
    done: Promise<void>;
}

export class FakeOutputChannel {
    lines: string[] = [];
    private partial = '';
    shown = 0;
    constructor(readonly name: string) {}
    append(value: string): void {
        const text = this.partial + value;
        const parts = text.split('\n');
        this.partial = parts.pop() ?? '';
        this.lines.push(...parts);
    }
    appendLine(value: string): void {
        this.append(value + '\n');
    }
    replace(value: string): void {
        this.clear();
        this.append(value);
    }
    clear(): void {
        this.lines = [];
        this.partial = '';
    }
    show(): void {
        this.shown++;
    }
    hide(): void { /* nothing */ }
    dispose(): void { /* nothing */ }
}

export interface FakeTextDocument {
    uri: Uri;
    fileName: string;
    languageId: string;
    version: number;
    isClosed: boolean;
    isDirty: boolean;
    isUntitled: boolean;
    lineCount: number;
    eol: number;
    getText(): string;
}

function settingGet(tree: any, key: string | undefined): any {
    if (!key) return tree;
    let node = tree;
    for (const part of key.split('.')) {
        if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
        node = node[part];
    }
    return node;
}

function clone<T>(v: T): T {
    return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function globToRegExp(glob: string): RegExp {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*') {
            if (glob[i + 1] === '*') {
                re += '(?:.*/)?';
                i += glob[i + 2] === '/' ? 2 : 1;
            } else re += '[^/]*';
        } else if (c === '?') re += '[^/]';
        else if (c === '{') re += '(?:';
        else if (c === '}') re += ')';
        else if (c === ',') re += '|';
        else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
}

class FakeState {
    settings: any = {};
    workspaceFolders: { uri: Uri; name: string; index: number }[] = [];
    textDocuments: FakeTextDocument[] = [];
    activeTextEditor: { document: FakeTextDocument } | undefined;
    commands = new Map<string, (...args: any[]) => any>();
    executed: { command: string; args: any[] }[] = [];
    contexts = new Map<string, any>();
    messages: RecordedMessage[] = [];
    /** Answers for the next show*Message calls (shift()ed), undefined = dismissed. */
    messageAnswers: (string | undefined)[] = [];
    inputBoxes: any[] = [];
    inputAnswers: (string | undefined)[] = [];
    progress: RecordedProgress[] = [];
    outputChannels: FakeOutputChannel[] = [];
    clipboard = '';
    isTrusted = true;
    readonly onDidOpenTextDocument = new EventEmitter<FakeTextDocument>();
    readonly onDidCloseTextDocument = new EventEmitter<FakeTextDocument>();
    readonly onDidChangeConfiguration = new EventEmitter<any>();
    readonly onDidChangeActiveTextEditor = new EventEmitter<any>();
    private progressWaiters: ((p: RecordedProgress) => void)[] = [];
    private messageWaiters: { test: (m: RecordedMessage) => boolean; resolve: (m: RecordedMessage) => void }[] = [];

    channel(name: string): FakeOutputChannel | undefined {
        return this.outputChannels.find(c => c.name === name);
    }

    setSettings(settings: any): void {
        const before = this.settings;
        this.settings = clone(settings);
        const after = this.settings;
        this.onDidChangeConfiguration.fire({
            affectsConfiguration: (section: string) =>
                JSON.stringify(settingGet(before, section)) !== JSON.stringify(settingGet(after, section)),
        });
    }

    openDocument(fsPath: string, languageId: string, text = ''): FakeTextDocument {
        const doc: FakeTextDocument = {
            uri: Uri.file(fsPath),
            fileName: fsPath,
            languageId,
            version: 1,
            isClosed: false,
            isDirty: false,
            isUntitled: false,
            lineCount: text.split('\n').length,
            eol: 1,
            getText: () => text,
        };
        this.textDocuments.push(doc);
        this.onDidOpenTextDocument.fire(doc);
        return doc;
    }

    showDocument(doc: FakeTextDocument | undefined): void {
        this.activeTextEditor = doc ? { document: doc } : undefined;
        this.onDidChangeActiveTextEditor.fire(this.activeTextEditor);
    }

    recordMessage(kind: RecordedMessage['kind'], message: string, items: any[]): Promise<any> {
        const m = { kind, message, items: items.filter(i => typeof i === 'string') };
        this.messages.push(m);
        for (const w of [...this.messageWaiters]) {
            if (w.test(m)) {
                this.messageWaiters.splice(this.messageWaiters.indexOf(w), 1);
                w.resolve(m);
            }
        }
        return Promise.resolve(this.messageAnswers.shift());
    }

    waitForMessage(test: (m: RecordedMessage) => boolean): Promise<RecordedMessage> {
        const found = this.messages.find(test);
        if (found) return Promise.resolve(found);
        return new Promise(resolve => this.messageWaiters.push({ test, resolve }));
    }

    recordProgress(p: RecordedProgress): void {
        this.progress.push(p);
        const waiters = this.progressWaiters;
        this.progressWaiters = [];
        waiters.forEach(w => w(p));
    }

    nextProgress(): Promise<RecordedProgress> {
        return new Promise(resolve => this.progressWaiters.push(resolve));
    }

    reset(): void {
        this.messages = [];
        this.messageAnswers = [];
        this.inputBoxes = [];
        this.inputAnswers = [];
        this.progress = [];
        this.executed = [];
    }
}

export const fake = new FakeState();

function withFallback<T extends object>(target: T): T {
    return new Proxy(target, {
        get(t: any, prop: string | symbol) {
            if (prop in t) return t[prop];
            if (typeof prop === 'string' && /^on(Did|Will)/.test(prop)) return neverEvent;
            return undefined;
        },
    });
}

class Configuration {
    constructor(private readonly section: string | undefined) {}
    private root(): any {
        return settingGet(fake.settings, this.section) ?? {};
    }
    get(key: string, defaultValue?: any): any {
        const v = settingGet(this.root(), key);
        return v === undefined ? defaultValue : clone(v);
    }
    has(key: string): boolean {
        return settingGet(this.root(), key) !== undefined;
    }
    inspect(key: string): any {
        return { key, globalValue: this.get(key) };
    }
    update(): Promise<void> {
        return Promise.resolve();
    }
}

export const workspace = withFallback({
    get workspaceFolders() {
        return fake.workspaceFolders.length ? fake.workspaceFolders : undefined;
    },
    get textDocuments() {
        return fake.textDocuments;
    },
    get notebookDocuments() {
        return [];
    },
    get isTrusted() {
        return fake.isTrusted;
    },
    getConfiguration: (section?: string, _scope?: any) => new Configuration(section),
    getWorkspaceFolder: (uri: Uri) => fake.workspaceFolders.find(f => uri.path.startsWith(f.uri.path)),
    onDidOpenTextDocument: fake.onDidOpenTextDocument.event,
    onDidCloseTextDocument: fake.onDidCloseTextDocument.event,
    onDidChangeConfiguration: fake.onDidChangeConfiguration.event,
    createFileSystemWatcher: () => ({
        onDidCreate: neverEvent, onDidChange: neverEvent, onDidDelete: neverEvent, dispose() { /* nothing */ },
    }),
    applyEdit: () => Promise.resolve(true),
    fs: { stat: () => Promise.reject(new Error('no fs in the fake')) },
});

export const window = withFallback({
    get activeTextEditor() {
        return fake.activeTextEditor;
    },
    get visibleTextEditors() {
        return fake.activeTextEditor ? [fake.activeTextEditor] : [];
    },
    onDidChangeActiveTextEditor: fake.onDidChangeActiveTextEditor.event,
    tabGroups: { all: [], onDidChangeTabs: neverEvent, onDidChangeTabGroups: neverEvent },
    createOutputChannel(name: string): FakeOutputChannel {
        const c = new FakeOutputChannel(name);
        fake.outputChannels.push(c);
        return c;
    },
    showInformationMessage: (message: string, ...items: any[]) => fake.recordMessage('info', message, items),
    showWarningMessage: (message: string, ...items: any[]) => fake.recordMessage('warning', message, items),
    showErrorMessage: (message: string, ...items: any[]) => fake.recordMessage('error', message, items),
    showInputBox: (options: any) => {
        fake.inputBoxes.push(options);
        return Promise.resolve(fake.inputAnswers.shift());
    },
    showTextDocument: () => Promise.resolve(undefined),
    setStatusBarMessage: () => new Disposable(),
    withProgress<R>(options: any, task: (progress: any, token: any) => Thenable<R>): Thenable<R> {
        const source = new CancellationTokenSource();
        let finish!: () => void;
        const done = new Promise<void>(resolve => { finish = resolve; });
        const record: RecordedProgress = { options, reports: [], cancel: () => source.cancel(), done };
        fake.recordProgress(record);
        const run = Promise.resolve(task({ report: (v: any) => record.reports.push(v) }, source.token));
        return run.finally(finish);
    },
});

export const commands = {
    registerCommand(id: string, handler: (...args: any[]) => any): Disposable {
        if (fake.commands.has(id)) throw new Error(`command '${id}' already exists`);
        fake.commands.set(id, handler);
        return new Disposable(() => fake.commands.delete(id));
    },
    async executeCommand(id: string, ...args: any[]): Promise<any> {
        fake.executed.push({ command: id, args });
        if (id === 'setContext') {
            fake.contexts.set(args[0], args[1]);
            return undefined;
        }
        const handler = fake.commands.get(id);
        if (!handler) return undefined;
        return handler(...args);
    },
    getCommands: () => Promise.resolve([...fake.commands.keys()]),
};

class FakeDiagnosticCollection {
    readonly entries = new Map<string, any[]>();
    constructor(readonly name: string) {}
    set(uri: any, diagnostics?: any[]): void {
        if (Array.isArray(uri)) {
            for (const [u, d] of uri) this.entries.set(u.toString(), d ?? []);
        } else this.entries.set(uri.toString(), diagnostics ?? []);
    }
    get(uri: Uri): any[] | undefined {
        return this.entries.get(uri.toString());
    }
    delete(uri: Uri): void {
        this.entries.delete(uri.toString());
    }
    clear(): void {
        this.entries.clear();
    }
    forEach(cb: (uri: any, d: any[]) => void): void {
        this.entries.forEach((d, u) => cb(Uri.parse(u), d));
    }
    has(uri: Uri): boolean {
        return this.entries.has(uri.toString());
    }
    dispose(): void {
        this.entries.clear();
    }
}

export const diagnosticCollections: FakeDiagnosticCollection[] = [];

function matchFilter(filter: any, doc: FakeTextDocument): boolean {
    if (typeof filter === 'string') return filter === doc.languageId;
    if (filter.language && filter.language !== doc.languageId) return false;
    if (filter.scheme && filter.scheme !== doc.uri.scheme) return false;
    if (filter.pattern && !globToRegExp(String(filter.pattern)).test(doc.uri.path)) return false;
    return true;
}

export const languages = withFallback({
    createDiagnosticCollection(name?: string): FakeDiagnosticCollection {
        const c = new FakeDiagnosticCollection(name ?? '');
        diagnosticCollections.push(c);
        return c;
    },
    match(selector: any, doc: FakeTextDocument): number {
        const filters = Array.isArray(selector) ? selector : [selector];
        return filters.some(f => matchFilter(f, doc)) ? 10 : 0;
    },
    getDiagnostics: () => [],
});

export const env = {
    appName: 'Fake VS Code',
    language: 'en',
    machineId: 'fake',
    sessionId: 'fake',
    uriScheme: 'vscode',
    clipboard: {
        writeText: (text: string) => { fake.clipboard = text; return Promise.resolve(); },
        readText: () => Promise.resolve(fake.clipboard),
    },
    openExternal: () => Promise.resolve(true),
};

export const extensions = { getExtension: () => undefined, all: [] };

// Unknown exports (classes the client extends or checks with instanceof) become empty classes.
const known = module.exports;
module.exports = new Proxy(known, {
    get(t: any, prop: string | symbol) {
        if (prop in t) return t[prop];
        if (typeof prop === 'string' && /^[A-Z]/.test(prop)) {
            const generic = class { constructor(...args: any[]) { Object.assign(this, { args }); } };
            Object.defineProperty(generic, 'name', { value: prop });
            t[prop] = generic;
            return generic;
        }
        return undefined;
    },
});
