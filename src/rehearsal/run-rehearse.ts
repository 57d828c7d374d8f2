/**
 * The `cdk-scaleout rehearse <cdk.out>` command, as a function of its arguments.
 * Exit codes: 0 no finding, 1 findings, 2 bad input.
 */
import { EngineFinding, rehearseDir, renderTable } from './engine';
import { ReviewInputError } from '../review/assembly-reader';

export const REHEARSE_USAGE = `usage: cdk-scaleout rehearse <dir> [--format table|json] [--lambda-concurrency-quota <n>]
  <dir>  a cloud assembly (cdk.out, nested stages included) or a folder of *.template.json files`;

/** Where the command writes. */
export interface RehearseIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The command's result. */
export interface RehearseResult {
  readonly exitCode: number;
  readonly findings?: EngineFinding[];
  readonly text?: string;
}

export function runRehearse(argv: string[], io: RehearseIo): RehearseResult {
  const args = [...argv];
  if (args[0] === 'rehearse') args.shift();
  let dir: string | undefined;
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (i + 1 >= args.length) { io.stderr(`missing value for ${a}\n${REHEARSE_USAGE}\n`); return { exitCode: 2 }; }
      opts[a.slice(2)] = args[++i];
    } else if (dir === undefined) {
      dir = a;
    } else {
      io.stderr(`unexpected argument '${a}'\n${REHEARSE_USAGE}\n`);
      return { exitCode: 2 };
    }
  }
  const unknown = Object.keys(opts).filter((k) => !['format', 'lambda-concurrency-quota'].includes(k));
  if (unknown.length) { io.stderr(`unknown option(s) --${unknown.join(', --')}\n${REHEARSE_USAGE}\n`); return { exitCode: 2 }; }
  if (!dir) { io.stderr(`a cloud assembly directory is required\n${REHEARSE_USAGE}\n`); return { exitCode: 2 }; }
  const format = opts.format ?? 'table';
  if (!['table', 'json'].includes(format)) { io.stderr(`--format must be table or json, got '${format}'\n`); return { exitCode: 2 }; }
  const quotaText = opts['lambda-concurrency-quota'];
  const quota = quotaText === undefined ? undefined : Number(quotaText);
  if (quota !== undefined && !(Number.isInteger(quota) && quota > 0)) {
    io.stderr(`--lambda-concurrency-quota must be a positive integer, got '${quotaText}'\n`);
    return { exitCode: 2 };
  }
  let findings: EngineFinding[];
  try {
    findings = rehearseDir(dir, quota).findings;
  } catch (e) {
    if (!(e instanceof ReviewInputError)) throw e;
    io.stderr(`cdk-scaleout rehearse: ${e.message}\n`);
    return { exitCode: 2 };
  }
  const text = format === 'json' ? JSON.stringify({ findings }, undefined, 2) + '\n' : renderTable(findings);
  io.stdout(text);
  return { exitCode: findings.length ? 1 : 0, findings, text };
}
