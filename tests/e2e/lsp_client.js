// A small harness around the real vscode-jsonrpc client (the library VS Code's LSP client is
// built on), driving the real envbuilder binary over stdio.
'use strict';
const { spawn } = require('node:child_process');
const rpc = require('vscode-jsonrpc/node');

const binary = process.env.ENVBUILDER_BINARY || require('node:path').join(__dirname, '../../build/envbuilder');

class Client {
  constructor({ capabilities = {}, configuration = null, initializationOptions } = {}) {
    this.child = spawn(binary, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.connection = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.diagnostics = new Map();  // uri -> list of {version, diagnostics}
    this.waiters = [];
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      if (!this.diagnostics.has(p.uri)) this.diagnostics.set(p.uri, []);
      this.diagnostics.get(p.uri).push(p);
      this.waiters = this.waiters.filter((w) => !w(p));
    });
    this.configurationRequests = 0;
    this.configuration = configuration;
    this.connection.onRequest('workspace/configuration', (params) => {
      this.configurationRequests++;
      return params.items.map(() => this.configuration);
    });
    this.registrations = [];
    this.connection.onRequest('client/registerCapability', (p) => { this.registrations.push(...p.registrations); return null; });
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.listen();
    this.capabilities = capabilities;
    this.initializationOptions = initializationOptions;
  }

  async initialize() {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, capabilities: this.capabilities,
      initializationOptions: this.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  // Resolves with the first publishDiagnostics for `uri` that satisfies `predicate`.
  waitForDiagnostics(uri, predicate = () => true, timeoutMs = 5000) {
    const seen = (this.diagnostics.get(uri) || []).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}`)), timeoutMs);
      this.waiters.push((p) => {
        if (p.uri !== uri || !predicate(p)) return false;
        clearTimeout(timer);
        resolve(p);
        return true;
      });
    });
  }

  open(uri, text, languageId = 'dockerfile', version = 1) {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  async shutdown() {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill() { this.child.kill(); this.connection.dispose(); }
}

module.exports = { Client, binary };
