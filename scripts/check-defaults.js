#!/usr/bin/env node
/**
 * Every optional property of the published API (the jsii assembly `.jsii`, written by
 * `npx projen compile`) documents its default with `@default`. Exits 1 and lists the ones that do
 * not. `.ci/run` runs it after compiling.
 *
 *   npx projen compile && node scripts/check-defaults.js
 */
'use strict';
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', '.jsii');
if (!fs.existsSync(file)) {
  console.error('check-defaults: no .jsii assembly; run `npx projen compile` first');
  process.exit(1);
}
const assembly = JSON.parse(fs.readFileSync(file, 'utf-8'));
const missing = [];
let checked = 0;
for (const [fqn, type] of Object.entries(assembly.types)) {
  if (type.kind !== 'interface') continue;
  for (const p of type.properties ?? []) {
    if (!p.optional) continue;
    checked += 1;
    if (!p.docs?.default) missing.push(`${fqn.replace(`${assembly.name}.`, '')}.${p.name} (${type.locationInModule?.filename ?? '?'})`);
  }
}
if (missing.length > 0) {
  console.error(`check-defaults: ${missing.length} of ${checked} optional properties have no @default:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-defaults: all ${checked} optional properties of the published API document their @default`);
