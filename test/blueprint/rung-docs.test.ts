import * as fs from 'fs';
import * as path from 'path';
import { Rung } from '../../src';
import { RUNG_DEFAULTS } from '../../src/blueprint/private/rung-defaults';

/** The README's rung tables must say what the code does (a new user reads them, not the code). */
describe('the README rung tables', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const rows = (header: string) => {
    const start = readme.indexOf(header);
    expect(start).toBeGreaterThan(-1);
    return readme.slice(start).split('\n').slice(2).filter((l) => l.startsWith('| ')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))
      .slice(0, 4);
  };

  test('GIVEN the defaults table WHEN compared with RUNG_DEFAULTS THEN every cell agrees', () => {
    const table = rows('| rung | tasks per service |');
    expect(table).toHaveLength(4);
    for (const [rung, tasks, nat, readers, shards, queues, global] of table) {
      const d = RUNG_DEFAULTS[Number(rung) as Rung];
      expect({ rung, tasks, nat, readers, shards, queues, global }).toEqual({
        rung,
        tasks: `${d.minTasks}–${d.maxTasks}`,
        nat: String(d.natGateways),
        readers: d.maxReaders !== undefined ? `${d.readers} (${d.maxReaders})` : String(d.readers),
        shards: d.cache ? String(d.cacheShards) : 'no cache',
        queues: d.queues ? 'yes' : 'no',
        global: d.edge && d.fanOut && d.multiRegion ? 'yes' : 'no',
      });
    }
  });

  test('GIVEN the ladder table WHEN it names task ranges THEN they are the defaults', () => {
    const table = rows('| rung | deploys | why |');
    const ranges = table.map(([, deploys]) => /(\d+)–(\d+) tasks/.exec(deploys)?.slice(1).map(Number));
    expect(ranges).toEqual([undefined, [1, 2], [2, 10], [2, 20]]);
    for (const [i, r] of ranges.entries()) {
      if (r) expect(r).toEqual([RUNG_DEFAULTS[(i + 1) as Rung].minTasks, RUNG_DEFAULTS[(i + 1) as Rung].maxTasks]);
    }
    expect(table[0][1]).toMatch(/one task per service/);
    expect(RUNG_DEFAULTS[Rung.SINGLE_SERVER]).toMatchObject({ minTasks: 1, maxTasks: 1 });
  });
});

/** The rung-dependent defaults stated where the props are documented must be the code's. */
describe('the rung-dependent @default docs', () => {
  const source = (file: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'src', file), 'utf-8');
  const rungs = [Rung.SINGLE_SERVER, Rung.SEPARATE_DATA_TIER, Rung.LOAD_BALANCED_POOL, Rung.FULL_DISTRIBUTION].map((r) => RUNG_DEFAULTS[r]);

  test('GIVEN the spec and ServiceScaling docs WHEN they state task ranges per rung THEN they are RUNG_DEFAULTS', () => {
    const ranges = rungs.map((d) => `${d.minTasks}–${d.maxTasks}`).join(', ');
    expect(source('blueprint/stage-spec.ts')).toContain(`the rung's task range (${ranges} tasks at rungs 1–4)`);
    const scaling = source('service/stateless-service.ts');
    expect(scaling).toContain(`@default 2 (in a \`ScaleoutStage\`: the rung's, ${rungs.map((d) => d.minTasks).join(', ')} at rungs 1–4)`);
    expect(scaling).toContain(`@default 10 (in a \`ScaleoutStage\`: the rung's, ${rungs.map((d) => d.maxTasks).join(', ')} at rungs 1–4)`);
  });

  test('GIVEN the spec docs WHEN they state readers, reader scaling, shards and NAT gateways per rung THEN they are RUNG_DEFAULTS', () => {
    const spec = source('blueprint/stage-spec.ts');
    const [r1, r2, r3, r4] = rungs;
    expect(spec).toContain(`the rung's (${r1.readers} at rungs 1–2, ${r3.readers} at 3–4)`);
    expect([r2.readers, r4.readers]).toEqual([r1.readers, r3.readers]);
    expect(spec).toContain(`the rung's (none at rungs 1–2, ${r3.maxReaders} at rung 3, ${r4.maxReaders} at rung 4)`);
    expect([r1.maxReaders, r2.maxReaders]).toEqual([undefined, undefined]);
    expect(spec).toContain(`the rung's (${r2.cacheShards}, or ${r4.cacheShards} at rung 4)`);
    expect(r3.cacheShards).toBe(r2.cacheShards);
    expect(spec).toContain(`the rung's (${r1.natGateways} at rungs 1–2, ${r3.natGateways} from rung 3)`);
    expect([r2.natGateways, r4.natGateways]).toEqual([r1.natGateways, r3.natGateways]);
    expect(spec).toContain('@default true from rung 2');
    expect(rungs.map((d) => d.cache)).toEqual([false, true, true, true]);
  });
});
