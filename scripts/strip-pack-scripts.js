#!/usr/bin/env node
/**
 * Removes the `scripts` of package.json inside npm tarballs, in place. The repository's scripts
 * (`projen …`, and `prepare: projen bundle`, which `npm ci` runs so a fresh clone can synthesize)
 * mean nothing to a user of the package, and npm 11 lists `prepare` as an install script when the
 * tarball is installed. Runs after `npm pack` / `jsii-pacmak` (projen task `package:js`, and the
 * package smoke test).
 *
 *   node scripts/strip-pack-scripts.js dist/js/cdk-scaleout@0.0.0.jsii.tgz [more.tgz …]
 *   node scripts/strip-pack-scripts.js dist/js          # every .tgz in the directory
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function tarballs(args) {
  return args.flatMap((arg) => fs.statSync(arg).isDirectory()
    ? fs.readdirSync(arg).filter((f) => f.endsWith('.tgz')).map((f) => path.join(arg, f))
    : [arg]);
}

function strip(tarball) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strip-pack-'));
  try {
    execFileSync('tar', ['-xzf', path.resolve(tarball), '-C', work]);
    const manifest = path.join(work, 'package', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf-8'));
    const removed = Object.keys(pkg.scripts ?? {});
    delete pkg.scripts;
    fs.writeFileSync(manifest, `${JSON.stringify(pkg, undefined, 2)}\n`);
    // npm's own tarballs: one `package/` directory, gzip; owner and modes as extracted.
    execFileSync('tar', ['-czf', path.resolve(tarball), '-C', work, '--owner=0', '--group=0', '--numeric-owner', 'package']);
    return removed.length;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const files = tarballs(process.argv.slice(2));
if (files.length === 0) {
  console.error('strip-pack-scripts: no tarball given or found');
  process.exit(1);
}
for (const file of files) console.log(`strip-pack-scripts: ${path.basename(file)}: removed ${strip(file)} script(s) from package.json`);
