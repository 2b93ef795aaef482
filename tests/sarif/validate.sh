#!/usr/bin/env bash
# `envbuilder lint --format sarif` over the whole corpus, checked by Microsoft's SARIF Multitool
# (npm @microsoft/sarif-multitool-linux) against the SARIF 2.1.0 schema, its SARIF rules and the
# GitHub code scanning ingestion rules (GH*). Any finding fails the test.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=$root/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
binary=${ENVBUILDER_BINARY:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod u+x "$tool"  # npm ran no install scripts
cd "$root"
set +e
"$binary" lint --format sarif tests/corpus/devcontainer/* tests/corpus/dockerfiles/*.Dockerfile > "$work/lint.sarif"
status=$?
set -e
if [ "$status" -gt 1 ]; then echo "lint failed with status $status"; exit 1; fi
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" validate --rule-kind "Sarif;Gh" --output "$work/validation.sarif" "$work/lint.sarif"
node -e '
const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const lint = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const findings = log.runs.flatMap((r) => r.results || []);
for (const f of findings) console.log(`${f.level || "warning"} ${f.ruleId}: ${f.message.text || JSON.stringify(f.message)}`);
const results = lint.runs[0].results.length;
if (results === 0) { console.log("the corpus produced no SARIF results to validate"); process.exit(1); }
console.log(`sarif: ${results} results validated, ${findings.length} problems`);
process.exit(findings.length ? 1 : 0);
' "$work/validation.sarif" "$work/lint.sarif"
