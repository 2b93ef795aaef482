// The command-line parser of the test helpers (fault_proxy.js, token_server.js): `--name value`
// or `--name=value` pairs into an object; anything else is a usage error given to `die`.
'use strict';

function parseArgs(argv, die) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) die(`unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) { out[a.slice(2, eq)] = a.slice(eq + 1); continue; }
    if (i + 1 >= argv.length) die(`missing value for ${a}`);
    out[a.slice(2)] = argv[++i];
  }
  return out;
}

module.exports = { parseArgs };
