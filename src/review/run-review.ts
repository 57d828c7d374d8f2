/**
 * The `cdk-scaleout review` command, as a function of its arguments (the CLI and the tests call it).
 * Exit codes: 0 fine, 1 unacknowledged risks with `--fail-on risk`, 2 bad input (nothing written).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readSide, ReviewInputError } from './assembly-reader';
import type { ReviewOutcome } from './review-engine';
import { CAPACITY_USAGE, runCapacity } from '../capacity/run-capacity';
import { REHEARSE_USAGE, runRehearse } from '../rehearsal/run-rehearse';

export const USAGE = `usage: cdk-scaleout review --base <dir> --head <dir> [--format markdown|json] [--fail-on risk|never]
                           [--acknowledgements <file.json>] [--pr-body <file>] [--output <file>]
                           [--comment <file>] [--packs AwsSolutions[,<pack>...]]
  --packs    run these cdk-nag packs on both sides' templates for the compliance delta
  --output   the full report; --comment (and stdout) get at most 60,000 characters, pointing to it
  <dir>  a cloud assembly (cdk.out, nested stages included) or a folder of *.template.json files
       the head's deploy rehearsal is part of the review (risks of kind 'deploy')
${REHEARSE_USAGE}
${CAPACITY_USAGE}`;

export interface RunIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface RunResult {
  readonly exitCode: number;
  readonly outcome?: ReviewOutcome;
  readonly text?: string;
}

export function runReview(argv: string[], io: RunIo): RunResult {
  if (argv[0] === 'plan' || argv[0] === 'cost') return runCapacity(argv, io);
  if (argv[0] === 'rehearse') {
    const r = runRehearse(argv, io);
    return { exitCode: r.exitCode, text: r.text };
  }
  const args = [...argv];
  if (args[0] === 'review') args.shift();
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (!flag.startsWith('--') || i + 1 >= args.length) {
      io.stderr(`${flag.startsWith('--') ? `missing value for ${flag}` : `unexpected argument '${flag}'`}\n${USAGE}\n`);
      return { exitCode: 2 };
    }
    opts[flag.slice(2)] = args[++i];
  }
  const unknown = Object.keys(opts).filter((k) => !['base', 'head', 'format', 'fail-on', 'acknowledgements', 'pr-body', 'output', 'comment', 'packs'].includes(k));
  if (unknown.length) { io.stderr(`unknown option(s) --${unknown.join(', --')}\n${USAGE}\n`); return { exitCode: 2 }; }
  if (!opts.base || !opts.head) { io.stderr(`--base and --head are required\n${USAGE}\n`); return { exitCode: 2 }; }
  const format = opts.format ?? 'markdown';
  const failOn = opts['fail-on'] ?? 'never';
  if (!['markdown', 'json'].includes(format)) { io.stderr(`--format must be markdown or json, got '${format}'\n`); return { exitCode: 2 }; }
  if (!['risk', 'never'].includes(failOn)) { io.stderr(`--fail-on must be risk or never, got '${failOn}'\n`); return { exitCode: 2 }; }

  let outcome: ReviewOutcome;
  try {
    // Loaded on use: the diff engine (@aws-cdk/cloudformation-diff and the CloudFormation
    // service spec) is heavy, and apps importing cdk-scaleout for constructs never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseAcknowledgements, review } = require('./review-engine') as typeof import('./review-engine');
    const acks = parseAcknowledgements(
      opts.acknowledgements ? fs.readFileSync(opts.acknowledgements, 'utf-8') : undefined,
      opts['pr-body'] ? fs.readFileSync(opts['pr-body'], 'utf-8') : undefined,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rehearseDir } = require('../rehearsal/engine') as typeof import('../rehearsal/engine');
    const [baseSide, headSide] = [readSide(opts.base), readSide(opts.head)];
    let packs: Parameters<typeof review>[4];
    if (opts.packs) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parsePacks, runPacks } = require('./compliance-delta') as typeof import('./compliance-delta');
      const list = parsePacks(opts.packs);
      packs = { base: runPacks(baseSide, list), head: runPacks(headSide, list) };
    }
    outcome = review(baseSide, headSide, acks, rehearseDir(opts.head).findings, packs);
    outcome = { ...outcome, cost: costDelta(opts.base, opts.head, io) };
  } catch (e) {
    const message = e instanceof ReviewInputError || e instanceof SyntaxError || (e as NodeJS.ErrnoException).code ? (e as Error).message : String(e);
    io.stderr(`cdk-scaleout review: ${message}\n`);
    return { exitCode: 2 };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderMarkdown, truncateReport } = require('./review-engine') as typeof import('./review-engine');
  const text = format === 'json' ? JSON.stringify(outcome, undefined, 2) + '\n' : renderMarkdown(outcome);
  // A PR comment holds 65,536 characters: the comment (and stdout) are cut, the --output file is whole.
  const guarded = format === 'json' ? text : truncateReport(text, opts.output
    ? `The full report is the file \`${path.basename(opts.output)}\` (the workflow's \`cdk-scaleout-review\` artifact).`
    : 'Run `cdk-scaleout review` with `--output <file>` for the full report.');
  const write = (file: string, content: string) => {
    // Written whole or not at all.
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  };
  if (opts.output) write(opts.output, text);
  if (opts.comment) write(opts.comment, guarded);
  if (!opts.output && !opts.comment) io.stdout(guarded);
  const open = outcome.risks.filter((r) => !r.acknowledged).length;
  return { exitCode: failOn === 'risk' && open > 0 ? 1 : 0, outcome, text };
}

/** Both sides' monthly cost estimate; undefined (with a note on stderr) when it cannot be made. */
function costDelta(base: string, head: string, io: RunIo): import('./review-engine').CostDelta | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CostEstimator } = require('../capacity/cost-estimator') as typeof import('../capacity/cost-estimator');
    const estimator = new CostEstimator();
    const [b, h] = [estimator.estimateAssembly(base), estimator.estimateAssembly(head)];
    const names = [...new Set([...b.stacks, ...h.stacks].map((s) => s.stackName))];
    const find = (side: typeof b, name: string) => side.stacks.find((s) => s.stackName === name);
    const stacks = names.map((stack) => ({
      stack,
      baseLow: find(b, stack)?.low ?? 0,
      baseHigh: find(b, stack)?.high ?? 0,
      headLow: find(h, stack)?.low ?? 0,
      headHigh: find(h, stack)?.high ?? 0,
    })).filter((s) => Math.round(s.baseLow) !== Math.round(s.headLow) || Math.round(s.baseHigh) !== Math.round(s.headHigh))
      .sort((x, y) => Math.abs(y.headHigh - y.baseHigh) - Math.abs(x.headHigh - x.baseHigh));
    return { baseLow: b.low, baseHigh: b.high, headLow: h.low, headHigh: h.high, stacks, assumptions: h.assumptions };
  } catch (e) {
    io.stderr(`cdk-scaleout review: no cost estimate (${(e as Error).message})\n`);
    return undefined;
  }
}
