#!/usr/bin/env node
// Minimal Bearer-token issuer for envbuilder's registry-auth tests.
//
// Plays the "authorization service" of Distribution's token auth mode
// (docker-registry config: auth: token: {realm, service, issuer,
// rootcertbundle}).  One user (given on the command line) gets whatever it
// asks for; anonymous clients get only "pull" on repositories; wrong
// credentials get 401.  Tokens are JWTs signed with KEY.pem and carry CERT.pem
// (the chain) in the "x5c" header, so the registry accepts them when its
// rootcertbundle contains CERT.pem (or the chain's root).
//
// Usage:
//   node token_server.js --key KEY.pem --cert CERT.pem --issuer ISSUER \
//        --htpasswd-user USER --htpasswd-pass PASS --port-file FILE \
//        [--tls-cert C --tls-key K] [--log FILE] [--expires-in SECONDS]
//        [--host ADDRESS]   (listen address, default 127.0.0.1; e.g. 127.0.0.2 to
//                            play a token service on another host)
//
// Endpoints:
//   GET  /token?service=S&scope=repository:NAME:pull,push[&scope=...]
//        optional Authorization: Basic ...
//   POST /token  (OAuth2 form: grant_type=password, username, password,
//        service, scope [space separated]; for clients that prefer it)
// Answer: {"token","access_token","expires_in","issued_at"}.
//
// --log FILE: one JSON line per token request:
//   {"user": name|null, "scope": [requested...], "granted": [granted...]}
// (credentials are never logged; a failed login logs "denied": true).
'use strict';

const http = require('http');
const https = require('https');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('./cli_args');

function die(msg) {
  process.stderr.write(`token_server: ${msg}\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2), die);
for (const k of ['key', 'cert', 'issuer', 'htpasswd-user', 'htpasswd-pass', 'port-file']) {
  if (args[k] === undefined) die(`--${k} is required`);
}
if ((args['tls-cert'] === undefined) !== (args['tls-key'] === undefined)) die('--tls-cert and --tls-key go together');
const expiresIn = args['expires-in'] !== undefined ? parseInt(args['expires-in'], 10) : 300;
if (!Number.isInteger(expiresIn)) die('--expires-in must be an integer');

const USER = args['htpasswd-user'];
const PASS = args['htpasswd-pass'];

// ---- signing key and certificate chain -----------------------------------

const privateKey = crypto.createPrivateKey(fs.readFileSync(args.key));
const certPem = fs.readFileSync(args.cert, 'utf8');
// x5c: standard (not URL-safe) base64 of each DER certificate, leaf first.
const x5c = [...certPem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)]
  .map(m => m[1].replace(/\s+/g, ''));
if (x5c.length === 0) die(`no certificate found in ${args.cert}`);
const leaf = new crypto.X509Certificate(Buffer.from(x5c[0], 'base64'));
if (!leaf.checkPrivateKey(privateKey)) die('--key does not match the first certificate in --cert');

let alg;
let signOpts = {};
let hash;
if (privateKey.asymmetricKeyType === 'rsa') {
  alg = 'RS256'; hash = 'sha256';
} else if (privateKey.asymmetricKeyType === 'ec') {
  const crv = privateKey.asymmetricKeyDetails.namedCurve;
  const m = { prime256v1: ['ES256', 'sha256'], secp384r1: ['ES384', 'sha384'], secp521r1: ['ES512', 'sha512'] }[crv];
  if (!m) die(`unsupported EC curve ${crv}`);
  [alg, hash] = m;
  signOpts = { dsaEncoding: 'ieee-p1363' }; // JWS wants r||s, not DER
} else {
  die(`unsupported key type ${privateKey.asymmetricKeyType}`);
}

// libtrust key ID ("kid"): SHA-256 of the DER SubjectPublicKeyInfo, first 240
// bits, base32, 12 groups of 4 joined by ':'.
function libtrustKeyID(pubKey) {
  const der = pubKey.export({ type: 'spki', format: 'der' });
  const sum = crypto.createHash('sha256').update(der).digest().subarray(0, 30);
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, val = 0, out = '';
  for (const b of sum) {
    val = (val << 8) | b; bits += 8;
    while (bits >= 5) { out += A[(val >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return out.match(/.{4}/g).join(':');
}
const kid = libtrustKeyID(crypto.createPublicKey(privateKey));

const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

function makeJWT(claims) {
  const header = { typ: 'JWT', alg, kid, x5c };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = crypto.sign(hash, Buffer.from(signingInput), { key: privateKey, ...signOpts });
  return `${signingInput}.${b64url(sig)}`;
}

// ---- scopes --------------------------------------------------------------

// "type:name:actions" -> {type, name, actions[]}; the name may itself contain
// ':' (e.g. registry:catalog:* or a host:port prefix), so split on first/last.
function parseScope(s) {
  const a = s.indexOf(':');
  const b = s.lastIndexOf(':');
  if (a < 0 || b === a) return null;
  return {
    type: s.slice(0, a),
    name: s.slice(a + 1, b),
    actions: s.slice(b + 1).split(',').map(x => x.trim()).filter(Boolean),
  };
}

function grant(requested, user) {
  const access = [];
  for (const r of requested) {
    let actions = r.actions;
    if (user === null) actions = r.type === 'repository' ? actions.filter(x => x === 'pull') : [];
    actions = [...new Set(actions)];
    if (actions.length === 0) continue;
    const prev = access.find(e => e.type === r.type && e.name === r.name);
    if (prev) prev.actions = [...new Set([...prev.actions, ...actions])];
    else access.push({ type: r.type, name: r.name, actions });
  }
  return access;
}

// ---- log -----------------------------------------------------------------

let logFd = null;
if (args.log) {
  try { logFd = fs.openSync(args.log, 'a'); } catch (e) { die(`cannot open log ${args.log}: ${e.message}`); }
}
function logLine(obj) {
  if (logFd !== null) fs.writeSync(logFd, JSON.stringify(obj) + '\n');
}

// ---- HTTP ----------------------------------------------------------------

function safeEqual(a, b) {
  const x = Buffer.from(String(a)), y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sendJSON(res, status, obj, extra) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...(extra || {}) });
  res.end(body);
}

function unauthorized(res, scopes, user) {
  logLine({ user, scope: scopes, granted: [], denied: true });
  sendJSON(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] },
    { 'WWW-Authenticate': 'Basic realm="token_server"' });
}

// Returns {user} (null = anonymous) or {bad: name|null} for bad credentials.
function checkCredentials(username, password) {
  if (username === undefined) return { user: null };
  if (safeEqual(username, USER) && safeEqual(password, PASS)) return { user: username };
  return { bad: username };
}

function issue(res, service, scopeStrings, who) {
  const requested = scopeStrings.map(parseScope).filter(Boolean);
  const access = grant(requested, who);
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: args.issuer,
    sub: who === null ? '' : who,
    aud: service,
    exp: now + expiresIn,
    nbf: now,
    iat: now,
    jti: crypto.randomBytes(16).toString('hex'),
    access,
  };
  const token = makeJWT(claims);
  logLine({ user: who, scope: scopeStrings, granted: access.map(e => `${e.type}:${e.name}:${e.actions.join(',')}`) });
  sendJSON(res, 200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() });
}

function handle(req, res) {
  const u = new URL(req.url, 'http://localhost');
  if (u.pathname !== '/token') { req.resume(); return sendJSON(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] }); }

  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    // scope may repeat; a single value may also hold several space-separated scopes
    const scopes = u.searchParams.getAll('scope').flatMap(s => s.split(' ')).filter(Boolean);
    const service = u.searchParams.get('service') || '';
    const authz = req.headers.authorization;
    let creds = { user: null };
    if (authz !== undefined) {
      const m = /^Basic\s+(\S+)\s*$/i.exec(authz);
      if (!m) return unauthorized(res, scopes, null);
      const dec = Buffer.from(m[1], 'base64').toString('utf8');
      const colon = dec.indexOf(':');
      if (colon < 0) return unauthorized(res, scopes, null);
      creds = checkCredentials(dec.slice(0, colon), dec.slice(colon + 1));
    }
    if (creds.bad !== undefined) return unauthorized(res, scopes, creds.bad);
    return issue(res, service, scopes, creds.user);
  }

  if (req.method === 'POST') {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => { size += c.length; if (size <= 65536) chunks.push(c); });
    req.on('end', () => {
      if (size > 65536) return sendJSON(res, 413, { error: 'invalid_request' });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const scopes = form.getAll('scope').flatMap(s => s.split(' ')).filter(Boolean);
      const service = form.get('service') || '';
      if (form.get('grant_type') !== 'password') {
        logLine({ user: null, scope: scopes, granted: [], denied: true });
        return sendJSON(res, 400, { error: 'unsupported_grant_type' });
      }
      const creds = checkCredentials(form.get('username') ?? '', form.get('password') ?? '');
      if (creds.bad !== undefined) return unauthorized(res, scopes, creds.bad);
      return issue(res, service, scopes, creds.user);
    });
    return;
  }

  req.resume();
  sendJSON(res, 405, { errors: [{ code: 'UNSUPPORTED', message: 'method not allowed' }] }, { Allow: 'GET, POST' });
}

const server = args['tls-cert']
  ? https.createServer({ cert: fs.readFileSync(args['tls-cert']), key: fs.readFileSync(args['tls-key']) }, handle)
  : http.createServer(handle);
server.keepAliveTimeout = 65000;

server.listen(0, args.host || '127.0.0.1', () => {
  const port = server.address().port;
  const pf = args['port-file'];
  const tmp = path.join(path.dirname(pf), `.${path.basename(pf)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${port}\n`);
  fs.renameSync(tmp, pf); // atomic: pollers never see an empty file
});

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(0));
