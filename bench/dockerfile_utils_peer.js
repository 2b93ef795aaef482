// The peer: npm dockerfile-utils (what the Node Dockerfile language server validates with),
// timed on the same file, median of repeated runs after a warm-up.
'use strict';
const fs = require('fs');
const { validate } = require('dockerfile-utils');
const content = fs.readFileSync(process.argv[2], 'utf8');
for (let i = 0; i < 5; i++) validate(content);
const times = [];
let findings = 0;
for (let i = 0; i < 21; i++) {
  const start = process.hrtime.bigint();
  findings = validate(content).length;
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ dockerfile_ms: times[Math.floor(times.length / 2)], dockerfile_findings: findings }));
