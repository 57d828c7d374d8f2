import * as fs from 'fs';
import * as path from 'path';
import { res, writeAssembly } from './fixtures';
import { runReview } from '../../src/review/run-review';

function run(args: string[]) {
  let out = '';
  let err = '';
  const r = runReview(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { ...r, out, err };
}

describe('cdk-scaleout rehearse', () => {
  const colliding = writeAssembly({
    stacks: [
      { id: 'A', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }) } },
      { id: 'B', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }) } },
    ],
  });

  test('GIVEN an assembly with a collision WHEN rehearsed THEN exit 1 and a table names rule, stack, resource, property, value and source', () => {
    const r = run(['rehearse', colliding]);
    expect(r.exitCode).toBe(1);
    expect(r.out).toMatch(/^Deploy rehearsal: 2 finding\(s\)/);
    expect(r.out).toMatch(/Rehearsal-NameCollision\s+A\s+T\s+Properties\.TopicName\s+alarms\s+'alarms'/);
    expect(r.out).toContain('Rehearsal-NameCollision: https://docs.aws.amazon.com/');
  });

  test('GIVEN a clean assembly WHEN rehearsed as JSON THEN exit 0 and no finding', () => {
    const clean = writeAssembly({ stacks: [{ id: 'A', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }) } }] });
    const r = run(['rehearse', clean, '--format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ findings: [] });
  });

  test('GIVEN a reservation and a quota flag WHEN rehearsed THEN the quota is applied', () => {
    const dir = writeAssembly({ stacks: [{ id: 'A', resources: { F: res('AWS::Lambda::Function', { ReservedConcurrentExecutions: 10 }) } }] });
    expect(run(['rehearse', dir]).exitCode).toBe(1);
    expect(run(['rehearse', dir, '--lambda-concurrency-quota', '1000']).exitCode).toBe(0);
  });

  test.each([
    ['no directory', ['rehearse'], /a cloud assembly directory is required/],
    ['a missing directory', ['rehearse', '/nonexistent/cdk.out'], /\/nonexistent\/cdk.out does not exist/],
    ['a bad quota', ['rehearse', '/tmp', '--lambda-concurrency-quota', 'many'], /must be a positive integer, got 'many'/],
    ['an unknown option', ['rehearse', '/tmp', '--colour', 'on'], /unknown option\(s\) --colour/],
  ])('GIVEN %s WHEN rehearsed THEN exit 2 with a clear message', (_name, args, message) => {
    const r = run(args as string[]);
    expect(r.exitCode).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('GIVEN a template that is not JSON WHEN rehearsed THEN exit 2 naming the file', () => {
    const dir = writeAssembly({ stacks: [{ id: 'A' }] });
    fs.writeFileSync(path.join(dir, 'A.template.json'), '{');
    const r = run(['rehearse', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.err).toMatch(/A.template.json is not valid JSON/);
  });
});
