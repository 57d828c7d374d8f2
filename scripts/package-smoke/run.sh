#!/usr/bin/env bash
# The path a user takes before the package is published: pack the compiled library (`lib/`,
# `assets/`; run `npx projen compile` first), install the tarball into a scratch app with its
# peer dependencies from the npm registry, and synthesize a stage with the checks on.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null 2>&1
tarball="$(ls "$work"/cdk-scaleout-*.tgz)"
# As `npx projen package` does: the repository's scripts (prepare: projen bundle) leave the package.
node scripts/strip-pack-scripts.js "$tarball" >/dev/null
peers() { node -p "const p=require('./package.json'); ['aws-cdk-lib','constructs','cdk-nag'].map(n => n + '@' + (p.devDependencies[n] || p.peerDependencies[n]).replace(/^\^/, '')).join(' ')"; }
mkdir -p "$work/app"
cp scripts/package-smoke/app.js "$work/app/app.js"
(
  cd "$work/app"
  echo '{ "name": "scratch-app", "version": "1.0.0", "private": true }' > package.json
  # shellcheck disable=SC2046
  npm install --silent --no-audit --no-fund "$tarball" $(cd - >/dev/null && peers) >/dev/null 2>&1
  node app.js "$work/app/cdk.out"
)
installed="$work/app/node_modules/cdk-scaleout/package.json"
node -e "const p=require('$installed'); if (p.scripts) { console.error('package smoke test: the installed package.json keeps scripts: ' + Object.keys(p.scripts).join(', ')); process.exit(1); }"
count=$(find "$work/app/cdk.out" -name '*.template.json' | wc -l)
[ "$count" -ge 1 ] || { echo "package smoke test: no template synthesized" >&2; exit 1; }
echo "package smoke test: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KB) installed into a scratch app and synthesized $count template(s)"
