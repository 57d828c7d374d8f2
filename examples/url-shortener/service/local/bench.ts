/**
 * `npm run bench:app [-- --duration 10 --connections 50]`: autocannon → nginx (least_conn) → 1
 * and 3 service instances, on real PostgreSQL and Valkey/Redis (see stack.ts). Not a timed test.
 * Scenarios per instance count:
 * - hot: every request is one of 1,000 warm codes (L1 / cache hits);
 * - 90 % hit: 9 in 10 requests a warm code, 1 in 10 a code never requested before (a miss that
 *   goes to the database): measures database queries per redirect at a 90 % hit rate;
 * - no cache (1 instance, own nginx): without Valkey and without L1, the baseline for "a 90 %
 *   hit rate cuts database load 10×";
 * - Valkey only (1 instance, own nginx): L1 off, so every lookup is at least a Valkey GET.
 * Prints a Markdown table and writes bench-results/app.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { freePort, LocalStack, Nginx, ServiceProcess } from './stack';

const argNum = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const DURATION = argNum('duration', 10);
const CONNECTIONS = argNum('connections', 50);
const CPU_QUOTA = argNum('cpu', 0.25);
const HOT = 1000;
const SEEDED = 400_000;

interface Row {
  scenario: string;
  instances: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non3xx: number;
  hitRate: number;
  dbPerRedirect: number;
  /** CPU time of the service processes (utime + stime) per redirect. */
  cpuUsPerRedirect: number;
  /** Cores the service processes used on average during the run. */
  serviceCores: number;
}

/** utime + stime of a process in seconds (/proc/PID/stat, clock ticks of 1/100 s). */
function cpuSeconds(t: ServiceProcess): number {
  try {
    const fields = fs.readFileSync(`/proc/${t.proc!.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const LOOKUP_HIT_METRICS = ['l1_hits', 'cache_hits', 'cache_hits_after_wait', 'coalesced'];

async function totals(targets: ServiceProcess[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await Promise.all(targets.map(t => t.metrics()))) {
    for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

let coldNext = HOT + 1;
async function run(scenario: string, url: string, targets: ServiceProcess[], hitShare: number): Promise<Row> {
  const before = await totals(targets);
  const cpuBefore = targets.reduce((sum, t) => sum + cpuSeconds(t), 0);
  const t0 = Date.now();
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{
      setupRequest: (req: any) => {
        i++;
        const cold = hitShare < 1 && (i % Math.round(1 / (1 - hitShare)) === 0);
        req.path = cold ? `/b${coldNext++}` : `/b${1 + (i * 7919) % HOT}`;
        return req;
      },
    }],
  });
  const after = await totals(targets);
  const cpu = targets.reduce((sum, t) => sum + cpuSeconds(t), 0) - cpuBefore;
  const wall = (Date.now() - t0) / 1000;
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const lookups = d('lookups');
  const hits = LOOKUP_HIT_METRICS.reduce((s, k) => s + d(k), 0);
  const row: Row = {
    scenario,
    instances: targets.length,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non3xx: result.non2xx - (result['3xx'] ?? 0),
    hitRate: lookups ? hits / lookups : 0,
    dbPerRedirect: d('redirects') ? d('db_queries_link_lookup') / d('redirects') : 0,
    cpuUsPerRedirect: d('redirects') ? (cpu * 1e6) / d('redirects') : 0,
    serviceCores: cpu / wall,
  };
  console.log(JSON.stringify(row));
  return row;
}

/**
 * Caps each instance at CPU_QUOTA of a core (cgroup v1 `cpu` controller, CFS quota), like a
 * Fargate task's vCPU share, so that scale-out is visible on a 2-core machine where the load
 * generator, nginx and the databases share the cores. Returns a cleanup, or undefined where
 * cgroups cannot be written (not root, cgroup v2 only).
 */
function limitCpu(targets: ServiceProcess[]): (() => void) | undefined {
  const root = '/sys/fs/cgroup/cpu';
  if (!fs.existsSync(path.join(root, 'tasks'))) return undefined;
  const groups: string[] = [];
  try {
    for (const t of targets) {
      const g = path.join(root, `shortener-bench-${process.pid}-${t.port}`);
      fs.mkdirSync(g);
      groups.push(g);
      fs.writeFileSync(path.join(g, 'cpu.cfs_period_us'), '100000');
      fs.writeFileSync(path.join(g, 'cpu.cfs_quota_us'), String(Math.round(CPU_QUOTA * 100000)));
      fs.writeFileSync(path.join(g, 'tasks'), String(t.proc!.pid));
    }
  } catch (err) {
    console.warn(`cpu quota not applied: ${(err as Error).message}`);
    for (const g of groups) try { fs.rmdirSync(g); } catch { /* busy */ }
    return undefined;
  }
  return () => {
    for (const t of targets) if (t.proc?.pid) try { fs.writeFileSync(path.join(root, 'tasks'), String(t.proc.pid)); } catch { /* gone */ }
    for (const g of groups) try { fs.rmdirSync(g); } catch { /* busy */ }
  };
}

async function seed(stack: LocalStack): Promise<void> {
  const db = new Client(stack.pg.clientConfig());
  await db.connect();
  await db.query(`INSERT INTO links (code, url) SELECT 'b' || i, 'https://example.com/page/' || i FROM generate_series(1, ${SEEDED}) i
                  ON CONFLICT DO NOTHING`);
  await db.query('ANALYZE links');
  await db.end();
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const rows: Row[] = [];
  const env = { RATE_LIMIT_API: '0', LOG_LEVEL: 'warn' };
  for (const instances of [1, 3]) {
    const stack = await new LocalStack({ instances, env }).start();
    try {
      await seed(stack);
      // Warm the hot set through nginx, then measure.
      await autocannon({ url: stack.url, connections: 10, amount: HOT * 3, requests: [{ setupRequest: (req: any) => ({ ...req, path: `/b${1 + Math.floor(Math.random() * HOT)}` }) }] });
      rows.push(await run('hot (≈100 % hits)', stack.url, stack.instances, 1));
      rows.push(await run('90 % hit', stack.url, stack.instances, 0.9));
      const release = limitCpu(stack.instances);
      if (release) {
        try {
          rows.push(await run(`hot, ${CPU_QUOTA} CPU per instance`, stack.url, stack.instances, 1));
          rows.push(await run(`90 % hit, ${CPU_QUOTA} CPU per instance`, stack.url, stack.instances, 0.9));
        } finally {
          release();
        }
      }
      if (instances === 1) {
        // Variants on one instance, each behind its own nginx (same path as the rows above).
        const variant = async (name: string, variantEnv: Record<string, string>, shares: Array<[string, number]>) => {
          const svc = new ServiceProcess(name, stack.bundle, stack.dir, await freePort(), variantEnv);
          await svc.start();
          const dir = path.join(stack.dir, `nginx-${name}`);
          fs.mkdirSync(dir);
          const ng = new Nginx(stack.bin, dir, await freePort());
          await ng.start([svc.port]);
          for (const [label, share] of shares) rows.push(await run(label, `http://127.0.0.1:${ng.port}`, [svc], share));
          await ng.stop();
          await svc.stop();
        };
        const noCacheEnv = { ...stack.webEnv(), L1_TTL_MS: '0' } as Record<string, string>;
        for (const k of Object.keys(noCacheEnv)) if (k.startsWith('CACHE_')) delete noCacheEnv[k];
        await variant('nocache', noCacheEnv, [['no cache, no L1 (every lookup → database)', 1]]);
        await variant('valkey-only', { ...stack.webEnv(), L1_TTL_MS: '0' }, [['Valkey only, no L1, hot', 1], ['Valkey only, no L1, 90 % hit', 0.9]]);
      }
    } finally {
      await stack.stop();
    }
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after (other processes on the machine skew the figures)`;
  console.log(`\nMachine: ${machine}; ${load}; autocannon ${CONNECTIONS} connections × ${DURATION} s per row, in the same 2 cores as everything else.\n`);
  console.log('| scenario | instances | redirects/s | p50 ms | p99 ms | errors | non-3xx | hit rate | DB queries / redirect | service CPU µs / redirect | service cores used |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.instances} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non3xx} | ${(r.hitRate * 100).toFixed(1)} % | ${r.dbPerRedirect.toFixed(3)} | ${Math.round(r.cpuUsPerRedirect)} | ${r.serviceCores.toFixed(2)} |`);
  }
  const one = rows.find(r => r.instances === 1 && r.scenario.startsWith('hot'));
  const three = rows.find(r => r.instances === 3 && r.scenario.startsWith('hot'));
  if (one && three) console.log(`\nScale-out 1 → 3 instances (hot, unlimited CPU): ×${(three.rps / one.rps).toFixed(2)}`);
  const oneQ = rows.find(r => r.instances === 1 && r.scenario.startsWith('hot,'));
  const threeQ = rows.find(r => r.instances === 3 && r.scenario.startsWith('hot,'));
  if (oneQ && threeQ) console.log(`Scale-out 1 → 3 instances (hot, ${CPU_QUOTA} CPU each): ×${(threeQ.rps / oneQ.rps).toFixed(2)}`);
  const out = path.join(__dirname, '..', '..', '..', '..', 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'app.json'), JSON.stringify({ machine, load, duration: DURATION, connections: CONNECTIONS, rows }, null, 2));
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
