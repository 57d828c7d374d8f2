/**
 * The `cdk-scaleout plan` and `cdk-scaleout cost` commands, as functions of their arguments.
 * Exit codes: 0 fine, 2 bad input (nothing written to stdout).
 */
import * as fs from 'fs';
import { CapacityPlan, CapacityPlanner, fmt } from './capacity-planner';
import { CostAssumptions, CostEstimate, CostEstimator } from './cost-estimator';
import { TrafficProfile } from './traffic-profile';

export const CAPACITY_USAGE = `usage: cdk-scaleout plan [profile options] [--profile <file.json>] [--format table|json|markdown]
       cdk-scaleout cost <cdk.out> [profile options] [--profile <file.json>] [--requests-per-month <n>] [--gb-out <n>]
                         [--format table|json|markdown]
  profile options (TrafficProfile, defaults in API.md):
    --dau <n> --requests-per-user <n> --requests-per-month <n> --bytes-per-request <n> --peak-to-average <n>
    --read-write-ratio <n> --cache-hit-rate <0..1> --record-bytes <n> --retention-years <n>
    --regions <r1,r2,...> --requests-per-task <n>
  <cdk.out>  a cloud assembly (nested stages included) or a folder of *.template.json files`;

const NUMERIC: Record<string, keyof TrafficProfile> = {
  'dau': 'dailyActiveUsers',
  'requests-per-user': 'requestsPerUserPerDay',
  'requests-per-month': 'requestsPerMonth',
  'bytes-per-request': 'bytesPerRequest',
  'peak-to-average': 'peakToAverage',
  'read-write-ratio': 'readWriteRatio',
  'cache-hit-rate': 'cacheHitRate',
  'record-bytes': 'recordSizeBytes',
  'retention-years': 'retentionYears',
  'requests-per-task': 'requestsPerTask',
};

/** Output of the command. */
export interface CapacityIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs `plan …` or `cost …`; argv starts with the subcommand. */
export function runCapacity(argv: string[], io: CapacityIo): { exitCode: number; text?: string } {
  const [command, ...rest] = argv;
  const fail = (message: string) => { io.stderr(`cdk-scaleout ${command}: ${message}\n${CAPACITY_USAGE}\n`); return { exitCode: 2 }; };
  if (command !== 'plan' && command !== 'cost') return fail(`unknown command '${command}'`);
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    if (i + 1 >= rest.length) return fail(`missing value for ${a}`);
    opts[a.slice(2)] = rest[++i];
  }
  const known = [...Object.keys(NUMERIC), 'regions', 'profile', 'format', ...(command === 'cost' ? ['gb-out'] : [])];
  const unknown = Object.keys(opts).filter((k) => !known.includes(k));
  if (unknown.length) return fail(`unknown option(s) --${unknown.join(', --')}`);
  const format = opts.format ?? 'table';
  if (!['table', 'json', 'markdown'].includes(format)) return fail(`--format must be table, json or markdown, got '${format}'`);
  if (command === 'plan' && positional.length) return fail(`unexpected argument '${positional[0]}'`);
  if (command === 'cost' && positional.length !== 1) return fail('give one cloud assembly directory');

  let profile: Record<string, unknown> = {};
  if (opts.profile) {
    try {
      profile = JSON.parse(fs.readFileSync(opts.profile, 'utf-8'));
    } catch (e) {
      return fail(`cannot read the profile ${opts.profile}: ${(e as Error).message}`);
    }
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) return fail(`${opts.profile} must hold a JSON object (a TrafficProfile)`);
  }
  for (const [flag, key] of Object.entries(NUMERIC)) {
    if (opts[flag] === undefined) continue;
    const v = Number(opts[flag]);
    if (!isFinite(v) || opts[flag].trim() === '') return fail(`--${flag} must be a number, got '${opts[flag]}'`);
    profile[key] = v;
  }
  if (opts.regions !== undefined) profile.audienceRegions = opts.regions.split(',').map((r) => r.trim()).filter(Boolean);
  const hasProfile = Object.keys(profile).length > 0;

  let text: string;
  try {
    if (command === 'plan') {
      const plan = CapacityPlanner.plan(profile as TrafficProfile);
      text = format === 'json' ? JSON.stringify(plan, undefined, 2) + '\n' : renderPlan(plan, format === 'markdown');
    } else {
      const assumptions: Record<string, number> = {};
      if (opts['gb-out'] !== undefined) {
        const v = Number(opts['gb-out']);
        if (!isFinite(v) || v < 0) return fail(`--gb-out must be a number, got '${opts['gb-out']}'`);
        assumptions.dataOutGbPerMonth = v;
      }
      const traffic = hasProfile ? profile as TrafficProfile : undefined;
      const estimator = new CostEstimator({ traffic, assumptions: assumptions as CostAssumptions });
      const estimate = estimator.estimateAssembly(positional[0]);
      text = format === 'json' ? JSON.stringify(estimate, undefined, 2) + '\n' : renderCost(estimate, format === 'markdown');
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  io.stdout(text);
  return { exitCode: 0, text };
}

function table(headers: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

function heading(title: string, markdown: boolean): string { return markdown ? `\n## ${title}\n\n` : `\n${title}\n`; }
function usd(x: number): string { return `$${fmt(x)}`; }

/** The plan as a table or markdown. */
export function renderPlan(plan: CapacityPlan, markdown = false): string {
  let out = markdown ? '# Capacity plan\n\n' : 'Capacity plan\n\n';
  out += table(['quantity', 'value'], [
    ['requests per day', fmt(plan.requestsPerDay)],
    ['requests/s average / peak', `${fmt(plan.averageRequestsPerSecond)} / ${fmt(plan.peakRequestsPerSecond)}`],
    ['reads/s average / peak', `${fmt(plan.readsPerSecond)} / ${fmt(plan.peakReadsPerSecond)}`],
    ['writes/s average / peak', `${fmt(plan.writesPerSecond)} / ${fmt(plan.peakWritesPerSecond)}`],
    ['bandwidth', `${fmt(plan.bandwidthGbPerDay)} GB/day, ${fmt(plan.peakBandwidthMbps)} Mbit/s at peak`],
    ['storage', `${fmt(plan.storageGrowthGbPerYear)} GB/year, ${fmt(plan.storageGb)} GB after ${plan.profile.retentionYears} years`],
    ['database reads/s at peak after the cache', fmt(plan.databaseReadsPerSecond)],
    ['rung', String(plan.rung)],
    ['regions', plan.regions.join(', ')],
    ['tasks per service', `${plan.serviceTasksMin}–${plan.serviceTasksMax}`],
    ['Aurora ACU per instance / readers', `${fmt(plan.acuMin)}–${fmt(plan.acuMax)} / ${plan.databaseReaders}`],
    ['cache', plan.cacheShards ? `${plan.cacheShards} shard(s) × ${plan.cacheReplicasPerShard + 1} ${plan.cacheNodeType}` : 'none'],
    ['queue workers', plan.queueWorkersMax ? `${plan.queueWorkersMin}–${plan.queueWorkersMax}` : 'none'],
    ['monthly cost', `${usd(plan.monthlyCostLow)}–${usd(plan.monthlyCostHigh)} (rung ${plan.rung} typically ${usd(plan.rungCostRange.low)}–${usd(plan.rungCostRange.high)})`],
  ], markdown);
  out += heading('Why', markdown) + plan.reasons.map((r) => `- ${r}`).join('\n') + '\n';
  out += heading('Cost', markdown) + table(['item', 'low $/month', 'high $/month'], plan.costLines.map((l) => [l.item, fmt(l.low), fmt(l.high)]), markdown);
  if (plan.warnings.length) out += heading('Warnings', markdown) + plan.warnings.map((w) => `- ${w}`).join('\n') + '\n';
  out += heading('Assumptions', markdown) + plan.assumptions.map((a) => `- ${a}`).join('\n') + '\n';
  return out;
}

/** The cost estimate as a table or markdown. */
export function renderCost(estimate: CostEstimate, markdown = false): string {
  let out = markdown ? '# Monthly cost estimate\n\n' : 'Monthly cost estimate\n\n';
  out += table(['stack', 'region', 'low $/month', 'high $/month'], [
    ...estimate.stacks.map((s) => [s.stackName, `${s.region ?? '?'}${s.approximate ? ' (approximate)' : ''}`, fmt(s.low), fmt(s.high)]),
    ['total', '', fmt(estimate.low), fmt(estimate.high)],
  ], markdown);
  for (const s of estimate.stacks) {
    out += heading(`${s.stackName}${s.region ? ` (${s.region})` : ''}`, markdown);
    out += table(['resource', 'type', 'priced', 'low', 'high'], s.resources.map((r) => [r.logicalId, r.type, `${r.detail}${r.approximate ? ' ≈' : ''}`, fmt(r.low), fmt(r.high)]), markdown);
    if (s.approximate) out += `${markdown ? '\n' : ''}≈ approximate: ${s.region ?? 'the region'} has no row for some prices; us-east-1's were used\n`;
    if (s.notPriced.length) out += `${markdown ? '\n' : ''}not priced: ${s.notPriced.join(', ')}\n`;
  }
  out += heading('Assumptions', markdown) + estimate.assumptions.map((a) => `- ${a}`).join('\n') + '\n';
  return out;
}
