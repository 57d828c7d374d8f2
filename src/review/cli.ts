#!/usr/bin/env node
/* eslint-disable no-console */
import { runReview } from './run-review';

const result = runReview(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = result.exitCode;
