import { Duration } from 'aws-cdk-lib';
import { mergeOptions } from '../../src/private/merge';

describe('mergeOptions', () => {
  test('GIVEN no override WHEN merged THEN the base object itself comes back (the no-override path is unchanged)', () => {
    const base = { a: 1 };
    expect(mergeOptions(base, undefined)).toBe(base);
  });

  test('GIVEN nested plain objects WHEN merged THEN they merge key by key and the override wins', () => {
    type T = { scaling?: { minTasks?: number; maxTasks?: number }; environment?: { [k: string]: string }; cpu?: number };
    const merged = mergeOptions<T>(
      { scaling: { minTasks: 2, maxTasks: 10 }, environment: { A: '1' }, cpu: 512 },
      { scaling: { maxTasks: 30 }, environment: { B: '2' }, cpu: 1024 },
    );
    expect(merged).toEqual({ scaling: { minTasks: 2, maxTasks: 30 }, environment: { A: '1', B: '2' }, cpu: 1024 });
  });

  test('GIVEN arrays, class instances and undefined values WHEN merged THEN arrays and instances replace, undefined keeps the base', () => {
    type T = { paths?: string[]; timeout?: Duration; port?: number };
    const timeout = Duration.seconds(5);
    const merged = mergeOptions<T>({ paths: ['/a', '/b'], timeout: Duration.seconds(30), port: 8080 }, { paths: ['/c'], timeout, port: undefined });
    expect(merged.paths).toEqual(['/c']);
    expect(merged.timeout).toBe(timeout);
    expect(merged.port).toBe(8080);
  });

  test('GIVEN a merge WHEN done THEN neither input is mutated', () => {
    const base = { scaling: { minTasks: 2 } };
    const override = { scaling: { minTasks: 4 } };
    mergeOptions(base, override);
    expect(base).toEqual({ scaling: { minTasks: 2 } });
    expect(override).toEqual({ scaling: { minTasks: 4 } });
  });
});
