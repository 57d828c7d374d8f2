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
