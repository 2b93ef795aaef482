#!/usr/bin/env node
// Fault-injecting reverse proxy for envbuilder's registry-client tests.
//
// Sits on 127.0.0.1 in front of a plain-HTTP registry (e.g. Debian's
// docker-registry) and forwards every request unchanged, except that rules
// loaded from a JSON file can answer an error status, cut a response short,
// corrupt a body, stall a body forever or strip the Range header.  Bodies are
// streamed in both directions (never buffered), so GiB blobs and chunked PATCH
// uploads go through.  Location headers that point at the upstream are
// rewritten to point at the proxy, so upload sessions stay on the proxy.
//
// Usage:
//   node fault_proxy.js --upstream http://127.0.0.1:PORT --rules RULES.json \
//        --port-file FILE [--log FILE] [--host ADDRESS]
//   --host: the address to listen on (default 127.0.0.1; 127.0.0.2 plays another host)
//
// RULES.json: [{"method":"GET","path":"<regex on path, no query>","times":1,
//               "action":{...}}, ...]
//   method   optional, case-insensitive; absent = any method
//   path     optional JS regex (unanchored; use ^...$ to anchor); absent = any
//   skip     how many matching requests pass untouched before the rule applies
//            (default 0)
//   times    how many matching requests the rule applies to (default 1;
//            -1 = unlimited).  The first rule that matches and still has
//            uses left is applied; only that rule's counter is decremented.
// Actions:
//   {"type":"status","status":500[,"headers":{...}][,"body":"..."]}
//   {"type":"drop_after","bytes":N}     headers + N body bytes, then close
//   {"type":"corrupt"[,"offset":K]}     flip the bits of body byte K (default:
//                                       middle of the body if Content-Length
//                                       is known, else byte 0); same length
//   {"type":"stall_after","bytes":N}    headers + N body bytes, then silence
//   {"type":"ignore_range"}             drop Range/If-Range before forwarding
//   {"type":"trickle","bytes_per_second":N}
//                                       the body at N bytes/s (in 4 slices a second)
//   {"type":"inflate_length","extra":N} Content-Length N larger than the body; the
//                                       whole body, then the connection is closed
//
// --log FILE: one JSON line per request, written when the response status is
// sent: {"method","path","query","range","status","rule","authorization"}
// ("authorization": whether the request carried an Authorization header; never its value).
'use strict';

const http = require('http');
const https = require('https');
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('./cli_args');

function die(msg) {
  process.stderr.write(`fault_proxy: ${msg}\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2), die);
if (!args.upstream) die('--upstream is required');
if (!args['port-file']) die('--port-file is required');

const upstream = new URL(args.upstream);
if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') die('upstream must be http:// or https://');
const upstreamOrigin = upstream.origin.toLowerCase(); // scheme://host[:port], default port elided
const upstreamPort = upstream.port || (upstream.protocol === 'https:' ? '443' : '80');
const upstreamHostHeader = upstream.host; // host[:port] as given
const upMod = upstream.protocol === 'https:' ? https : http;
const upAgent = new upMod.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, rejectUnauthorized: false });

// ---- rules -----------------------------------------------------------------

let rules = [];
if (args.rules) {
  let parsed;
  try { parsed = JSON.parse(fs.readFileSync(args.rules, 'utf8')); } catch (e) { die(`cannot read rules ${args.rules}: ${e.message}`); }
  if (!Array.isArray(parsed)) die('rules file must contain a JSON array');
  rules = parsed.map((r, i) => {
    if (!r || typeof r !== 'object' || !r.action || typeof r.action.type !== 'string') die(`rule ${i}: missing action.type`);
    const known = ['status', 'drop_after', 'corrupt', 'stall_after', 'ignore_range', 'trickle', 'inflate_length'];
    if (!known.includes(r.action.type)) die(`rule ${i}: unknown action type ${r.action.type}`);
    if (r.action.type === 'status' && !Number.isInteger(r.action.status)) die(`rule ${i}: status action needs an integer "status"`);
    if ((r.action.type === 'drop_after' || r.action.type === 'stall_after') && !(Number.isInteger(r.action.bytes) && r.action.bytes >= 0)) die(`rule ${i}: ${r.action.type} needs a non-negative integer "bytes"`);
    if (r.action.type === 'trickle' && !(Number.isInteger(r.action.bytes_per_second) && r.action.bytes_per_second > 0)) die(`rule ${i}: trickle needs a positive integer "bytes_per_second"`);
    if (r.action.type === 'inflate_length' && !(Number.isInteger(r.action.extra) && r.action.extra > 0)) die(`rule ${i}: inflate_length needs a positive integer "extra"`);
    let re = null;
    if (r.path !== undefined && r.path !== null) {
      try { re = new RegExp(r.path); } catch (e) { die(`rule ${i}: bad path regex: ${e.message}`); }
    }
    const times = r.times === undefined ? 1 : r.times;
    if (!Number.isInteger(times)) die(`rule ${i}: times must be an integer`);
    const skip = r.skip === undefined ? 0 : r.skip;
    if (!Number.isInteger(skip) || skip < 0) die(`rule ${i}: skip must be a non-negative integer`);
    return { index: i, method: r.method ? String(r.method).toUpperCase() : null, re, skip, left: times < 0 ? Infinity : times, action: r.action };
  });
}

function pickRule(method, p) {
  for (const r of rules) {
    if (r.left <= 0) continue;
    if (r.method && r.method !== method) continue;
    if (r.re && !r.re.test(p)) continue;
    if (r.skip > 0) { r.skip--; continue; }  // let the first `skip` matches through untouched
    r.left--;
    return r;
  }
  return null;
}

// ---- log -------------------------------------------------------------------

let logFd = null;
if (args.log) {
  try { logFd = fs.openSync(args.log, 'a'); } catch (e) { die(`cannot open log ${args.log}: ${e.message}`); }
}
function logLine(obj) {
  if (logFd === null) return;
  // One write(2) per line on an O_APPEND fd: readers never see half lines.
  fs.writeSync(logFd, JSON.stringify(obj) + '\n');
}

// ---- helpers ---------------------------------------------------------------

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

// rawHeaders -> {name: value | [values]} (first spelling of each name kept),
// skipping hop-by-hop headers, any header named by Connection, and extraSkip
// (lowercase names).
function copyHeaders(raw, extraSkip) {
  const connTokens = new Set();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === 'connection') raw[i + 1].split(',').forEach(t => connTokens.add(t.trim().toLowerCase()));
  }
  const out = {};
  const names = new Map(); // lowercase -> spelling used in out
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(k) || connTokens.has(k) || (extraSkip && extraSkip.has(k))) continue;
    const v = raw[i + 1];
    const n = names.get(k);
    if (n === undefined) { names.set(k, raw[i]); out[raw[i]] = v; }
    else if (Array.isArray(out[n])) out[n].push(v);
    else out[n] = [out[n], v];
  }
  return out;
}

// Case-insensitive lookup of a header name in a copyHeaders() result.
function findHeader(h, lname) {
  for (const k of Object.keys(h)) if (k.toLowerCase() === lname) return k;
  return undefined;
}

function rewriteLocation(value, proxyOrigin) {
  let u;
  try { u = new URL(value); } catch (_) { return value; } // relative: already fine
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  if (u.protocol === upstream.protocol && u.hostname.toLowerCase() === upstream.hostname.toLowerCase() && port === upstreamPort) {
    return proxyOrigin + value.slice(u.origin.length);
  }
  return value;
}

function splitUrl(url) {
  const q = url.indexOf('?');
  return q < 0 ? { p: url, query: null } : { p: url.slice(0, q), query: url.slice(q + 1) };
}

// ---- request handling -----------------------------------------------------

let listenPort = 0;
const stalled = new Set();

function handle(req, res, expectContinue) {
  const { p, query } = splitUrl(req.url);
  const rule = pickRule(req.method, p);
  const action = rule ? rule.action : null;
  const entry = { method: req.method, path: p, query, range: req.headers.range === undefined ? null : req.headers.range, status: null, rule: rule ? rule.index : null, authorization: req.headers.authorization !== undefined };
  let logged = false;
  const logStatus = (status) => { if (logged) return; logged = true; entry.status = status; logLine(entry); };

  // -- injected status, upstream never contacted
  if (action && action.type === 'status') {
    const body = action.body !== undefined ? String(action.body) : JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected' }] });
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Docker-Distribution-Api-Version': 'registry/2.0' };
    for (const [k, v] of Object.entries(action.headers || {})) {
      const old = findHeader(headers, k.toLowerCase());
      if (old !== undefined) delete headers[old];
      headers[k] = v;
    }
    const send = () => {
      logStatus(action.status);
      res.writeHead(action.status, headers);
      res.end(body);
    };
    const hasReqBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (expectContinue) {
      headers['Connection'] = 'close'; // body never requested; don't reuse the connection
      send();
    } else if (hasReqBody && !req.complete) {
      // Read the whole request body first (as the registry would): answering
      // early and closing with unread data makes the kernel send RST, and the
      // client would see a racy EPIPE/ECONNRESET instead of the status.
      req.on('end', send);
      req.resume();
    } else {
      req.resume();
      send();
    }
    return;
  }

  // -- forward
  const skip = new Set(['host', 'expect']);
  if (action && action.type === 'ignore_range') { skip.add('range'); skip.add('if-range'); }
  const headers = copyHeaders(req.rawHeaders, skip);
  headers.Host = upstreamHostHeader;
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method)) headers['Content-Length'] = '0';

  const upReq = upMod.request({
    protocol: upstream.protocol, hostname: upstream.hostname, port: upstreamPort,
    method: req.method, path: req.url, headers, agent: upAgent,
  });

  let clientGone = false;
  res.on('close', () => { if (!res.writableFinished) { clientGone = true; upReq.destroy(); } });
  req.on('aborted', () => { clientGone = true; upReq.destroy(); });

  upReq.on('error', (err) => {
    if (clientGone) return;
    if (!res.headersSent) {
      const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `fault_proxy: upstream error: ${err.message}` }] });
      logStatus(502);
      res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Connection': 'close' });
      res.end(body);
    } else if (!res.writableFinished) {
      res.destroy();
    } else if (!req.complete && req.socket) {
      // Upstream answered early and then dropped the connection while the
      // request body was still coming: close the client connection too.
      req.socket.destroy();
    }
  });

  upReq.on('response', (upRes) => {
    const rh = copyHeaders(upRes.rawHeaders, new Set(['transfer-encoding']));
    const loc = findHeader(rh, 'location');
    if (loc !== undefined) {
      const proxyOrigin = `http://${req.headers.host || `${args.host || '127.0.0.1'}:${listenPort}`}`;
      rh[loc] = Array.isArray(rh[loc]) ? rh[loc].map(v => rewriteLocation(v, proxyOrigin)) : rewriteLocation(rh[loc], proxyOrigin);
    }
    const noBody = req.method === 'HEAD' || upRes.statusCode === 204 || upRes.statusCode === 304 || (upRes.statusCode >= 100 && upRes.statusCode < 200);
    const type = action && !noBody ? action.type : null;

    if (type === 'inflate_length') {
      // Announce more than the body holds, send the whole body, then close: the client has
      // every byte, yet the transfer looks cut short.
      const lenKey = findHeader(rh, 'content-length');
      const len = lenKey === undefined ? NaN : Number(rh[lenKey]);
      if (Number.isFinite(len)) {
        rh[lenKey] = String(len + action.extra);
        logStatus(upRes.statusCode);
        res.writeHead(upRes.statusCode, upRes.statusMessage, rh);
        upRes.on('data', (chunk) => { if (!res.write(chunk)) upRes.pause(); });
        res.on('drain', () => upRes.resume());
        upRes.on('end', () => {
          const sock = res.socket;
          if (!sock) return;
          sock.end(); // FIN after the queued body
          setTimeout(() => sock.destroy(), 2000).unref();
        });
        upRes.on('error', () => res.destroy());
        upRes.on('aborted', () => res.destroy());
        return;
      }
    }

    logStatus(upRes.statusCode);
    res.writeHead(upRes.statusCode, upRes.statusMessage, rh);

    if (type === 'trickle') {
      // Hold the upstream body and hand it on at the given rate.
      const slice = Math.max(1, Math.floor(action.bytes_per_second / 4));
      const queue = [];
      let queued = 0;
      let ended = false;
      res.flushHeaders();
      const timer = setInterval(() => {
        let budget = slice;
        while (budget > 0 && queue.length > 0) {
          const head = queue[0];
          const part = head.subarray(0, budget);
          budget -= part.length;
          queued -= part.length;
          if (part.length === head.length) queue.shift(); else queue[0] = head.subarray(part.length);
          res.write(part);
        }
        if (queued < 65536) upRes.resume();
        if (ended && queue.length === 0) { clearInterval(timer); res.end(); }
      }, 250);
      res.on('close', () => clearInterval(timer));
      upRes.on('data', (chunk) => {
        queue.push(chunk);
        queued += chunk.length;
        if (queued >= 65536) upRes.pause();
      });
      upRes.on('end', () => { ended = true; });
      upRes.on('error', () => { clearInterval(timer); res.destroy(); });
      upRes.on('aborted', () => { clearInterval(timer); res.destroy(); });
      return;
    }

    if (type === 'drop_after' || type === 'stall_after') {
      const limit = action.bytes;
      let sent = 0;
      let done = false;
      res.flushHeaders();
      const cut = () => {
        done = true;
        upRes.destroy();
        const sock = res.socket;
        if (!sock) return;
        if (type === 'drop_after') {
          // Graceful FIN after the bytes already queued; hard destroy shortly after.
          sock.end();
          setTimeout(() => sock.destroy(), 2000).unref();
        } else {
          stalled.add(sock);
          sock.on('close', () => stalled.delete(sock));
          sock.setTimeout(0);
        }
      };
      if (limit === 0) { cut(); return; }
      upRes.on('data', (chunk) => {
        if (done) return;
        if (sent + chunk.length >= limit) {
          const part = chunk.subarray(0, limit - sent);
          sent = limit;
          res.write(part);
          cut();
          return;
        }
        sent += chunk.length;
        if (!res.write(chunk)) upRes.pause();
      });
      res.on('drain', () => { if (!done) upRes.resume(); });
      upRes.on('end', () => { if (!done) res.end(); }); // body shorter than limit: pass through whole
      upRes.on('error', () => { if (!done) res.destroy(); });
      upRes.on('aborted', () => { if (!done) res.destroy(); });
      return;
    }

    if (type === 'corrupt') {
      const len = Number(upRes.headers['content-length']);
      let target = Number.isInteger(action.offset) ? action.offset : (Number.isFinite(len) && len > 0 ? Math.floor(len / 2) : 0);
      if (target < 0 && Number.isFinite(len)) target = len + target;
      let pos = 0;
      upRes.on('data', (chunk) => {
        if (target >= pos && target < pos + chunk.length) {
          chunk = Buffer.from(chunk); // don't mutate a shared buffer
          chunk[target - pos] ^= 0xff;
        }
        pos += chunk.length;
        if (!res.write(chunk)) upRes.pause();
      });
      res.on('drain', () => upRes.resume());
      upRes.on('end', () => res.end());
      upRes.on('error', () => res.destroy());
      upRes.on('aborted', () => res.destroy());
      return;
    }

    upRes.on('error', () => res.destroy());
    upRes.on('aborted', () => res.destroy());
    upRes.pipe(res);
  });

  if (expectContinue) res.writeContinue();
  if (hasBody) req.pipe(upReq);
  else { req.resume(); upReq.end(); }
}

const server = http.createServer({ keepAlive: true });
server.keepAliveTimeout = 65000;
server.headersTimeout = 70000;
server.requestTimeout = 0; // GiB uploads may take long
server.timeout = 0;
server.maxHeadersCount = 0;
server.on('request', (req, res) => handle(req, res, false));
server.on('checkContinue', (req, res) => handle(req, res, true));
server.on('clientError', (err, sock) => {
  if (sock.writable && !sock.destroyed) sock.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else sock.destroy();
});

server.listen(0, args.host || '127.0.0.1', () => {
  listenPort = server.address().port;
  const pf = args['port-file'];
  const tmp = path.join(path.dirname(pf), `.${path.basename(pf)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${listenPort}\n`);
  fs.renameSync(tmp, pf); // atomic: pollers never see an empty file
});

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));
