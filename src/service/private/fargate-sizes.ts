/**
 * Fargate's valid task CPU / memory pairs (Linux).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/** CPU units → allowed memory (MiB). */
export const FARGATE_TASK_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

/** Describes the memory values allowed for `cpu`, for error messages. */
export function describeMemoryFor(cpu: number): string {
  const mem = FARGATE_TASK_SIZES.get(cpu);
  if (!mem) return '';
  if (mem.length <= 3) return mem.join(', ');
  const step = mem[1] - mem[0];
  return `${mem[0]}–${mem[mem.length - 1]} in steps of ${step}`;
}
