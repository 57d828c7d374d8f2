import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCapacity } from '../../src/capacity/run-capacity';
import { runReview } from '../../src/review/run-review';

function run(argv: string[]): { exitCode: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const r = runReview(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { exitCode: r.exitCode, stdout, stderr };
}

describe('cdk-scaleout plan', () => {
  test('GIVEN the worked example WHEN planned as a table THEN shows the rates, the rung, why and the cost', () => {
    const r = run(['plan', '--dau', '1000000', '--requests-per-user', '10', '--bytes-per-request', '1000']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/requests\/s average \/ peak\s+116 \/ 347/);
    expect(r.stdout).toMatch(/bandwidth\s+10 GB\/day/);
    expect(r.stdout).toMatch(/rung\s+2/);
    expect(r.stdout).toContain('- cache hit rate 90 %: database reads 316/s → 31.6/s at peak (10× fewer)');
    expect(r.stdout).toMatch(/monthly cost\s+\$\d[\d,]*–\$[\d,]+ \(rung 2 typically \$200–\$500\)/);
    expect(r.stdout).toContain('Assumptions');
  });

  test('GIVEN --format json and markdown WHEN planned THEN json parses and markdown has tables', () => {
    const json = JSON.parse(run(['plan', '--requests-per-month', '1100000000', '--format', 'json']).stdout);
    expect(Math.round(json.writesPerSecond)).toBe(39);
    expect(json.rung).toBe(3);
    const md = run(['plan', '--regions', 'eu-west-1,us-east-1', '--format', 'markdown']).stdout;
    expect(md).toMatch(/^# Capacity plan\n\n\| quantity \| value \|\n\|---\|---\|/);
    expect(md).toContain('| rung | 4 |');
    expect(md).toContain('## Why');
  });

  test('GIVEN a profile file WHEN planned THEN its fields are used and flags win', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plan-')), 'profile.json');
    fs.writeFileSync(file, JSON.stringify({ dailyActiveUsers: 10_000, audienceRegions: ['eu-west-1', 'us-east-1'] }));
    expect(JSON.parse(run(['plan', '--profile', file, '--format', 'json']).stdout).rung).toBe(4);
    expect(JSON.parse(run(['plan', '--profile', file, '--regions', 'eu-west-1', '--format', 'json']).stdout).rung).toBe(1);
  });

  test.each([
    [['plan', '--format', 'xml'], /--format must be table, json or markdown, got 'xml'/],
    [['plan', '--dau', 'many'], /--dau must be a number, got 'many'/],
    [['plan', '--dau'], /missing value for --dau/],
    [['plan', '--colour', 'red'], /unknown option\(s\) --colour/],
    [['plan', 'extra'], /unexpected argument 'extra'/],
    [['plan', '--cache-hit-rate', '1.5'], /cacheHitRate must be between 0 and 1/],
    [['plan', '--profile', '/nonexistent/profile.json'], /cannot read the profile/],
    [['cost'], /give one cloud assembly directory/],
    [['cost', '/nonexistent/cdk.out'], /\/nonexistent\/cdk.out does not exist/],
    [['cost', os.tmpdir(), '--gb-out', 'x'], /--gb-out must be a number/],
  ])('GIVEN %j WHEN run THEN exits 2 with the reason and the usage, nothing on stdout', (argv, message) => {
    const r = run(argv);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: cdk-scaleout plan');
    expect(r.stdout).toBe('');
  });

  test('GIVEN an unknown subcommand WHEN run directly THEN exits 2', () => {
    expect(runCapacity(['budget'], { stdout: () => undefined, stderr: () => undefined }).exitCode).toBe(2);
  });
});
