/** Structured JSON logs, one object per line on stdout (CloudWatch Logs via awslogs). */
const LEVELS: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold = LEVELS.info;
const base: Record<string, unknown> = {};

export function configureLog(level: string, fields: Record<string, unknown>): void {
  threshold = LEVELS[level] ?? LEVELS.info;
  Object.assign(base, fields);
}

function write(level: string, msg: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold) return;
  const entry: Record<string, unknown> = { ts: new Date().toISOString(), level, msg, ...base, ...fields };
  if (fields?.err instanceof Error) entry.err = { name: fields.err.name, message: fields.err.message };
  process.stdout.write(JSON.stringify(entry) + '\n');
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
