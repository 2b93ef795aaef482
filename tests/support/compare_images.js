#!/usr/bin/env node
// Compares two unpacked images the way the executor's corpus test needs: every path of the two
// root filesystems (type, mode, uid, gid, size, content hash, link target) and the image configs'
// runtime fields. Prints each difference; exits 1 when there is any.
//
// Usage: node compare_images.js BUNDLE_A BUNDLE_B   (umoci bundles: rootfs/ and config.json
//        beside the image config given as A_CONFIG/B_CONFIG through --config-a/--config-b)
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function parseArgs(argv) {
  const out = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[++i];
    else out.positional.push(argv[i]);
  }
  return out;
}

function typeOf(st) {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  return 'socket';
}

// path -> description of everything the comparison covers (not times: builders differ there).
function describeTree(root, ignored) {
  const entries = new Map();
  const walk = (dir, rel) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      if (ignored.has(relPath)) continue;
      const st = fs.lstatSync(full);
      const d = { type: typeOf(st), mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid };
      if (st.isFile()) {
        d.size = st.size;
        d.sha256 = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
      }
      if (st.isSymbolicLink()) {
        d.target = fs.readlinkSync(full);
        delete d.mode;  // link modes are not meaningful
      }
      entries.set(relPath, d);
      if (st.isDirectory()) walk(full, relPath);
    }
  };
  walk(root, '');
  return entries;
}

const CONFIG_FIELDS = ['User', 'Env', 'Entrypoint', 'Cmd', 'WorkingDir', 'ExposedPorts', 'Volumes', 'StopSignal', 'Labels'];

function normalizeConfig(image) {
  const c = (image && image.config) || {};
  const out = {};
  for (const f of CONFIG_FIELDS) {
    let v = c[f];
    if (v === undefined || v === null) continue;
    if (f === 'Labels') {
      v = Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('io.buildah.')));
      if (Object.keys(v).length === 0) continue;
    }
    if (f === 'ExposedPorts' || f === 'Volumes') v = Object.keys(v).sort();
    if ((f === 'Cmd' || f === 'Entrypoint') && Array.isArray(v) && v.length === 0) continue;
    out[f] = v;
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const [a, b] = args.positional;
if (!a || !b) {
  console.error('usage: compare_images.js ROOTFS_A ROOTFS_B [--config-a FILE --config-b FILE] [--ignore p1,p2]');
  process.exit(2);
}
const ignored = new Set((args.ignore || '').split(',').filter(Boolean));
const ta = describeTree(a, ignored), tb = describeTree(b, ignored);
let differences = 0;
const report = (msg) => { differences++; console.log(msg); };
for (const [p, da] of ta) {
  const db = tb.get(p);
  if (!db) { report(`only in A: /${p} ${JSON.stringify(da)}`); continue; }
  const ja = JSON.stringify(da), jb = JSON.stringify(db);
  if (ja !== jb) report(`differs: /${p}\n  A ${ja}\n  B ${jb}`);
}
for (const [p, db] of tb) if (!ta.has(p)) report(`only in B: /${p} ${JSON.stringify(db)}`);
if (args['config-a'] && args['config-b']) {
  const ca = normalizeConfig(JSON.parse(fs.readFileSync(args['config-a'])));
  const cb = normalizeConfig(JSON.parse(fs.readFileSync(args['config-b'])));
  for (const f of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
    const ja = JSON.stringify(ca[f]), jb = JSON.stringify(cb[f]);
    if (ja !== jb) report(`config ${f} differs:\n  A ${ja}\n  B ${jb}`);
  }
}
console.log(`${ta.size} paths compared, ${differences} difference(s)`);
process.exit(differences ? 1 : 0);
