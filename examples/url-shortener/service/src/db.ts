/**
 * PostgreSQL (Aurora): a writer pool (DB_HOST) and a reader pool (DB_READER_HOST), TLS with
 * certificate verification, timeouts, a circuit breaker and retries around every query, and
 * idempotent migrations under an advisory lock.
 */
import * as fs from 'fs';
import { Pool, PoolConfig, QueryResultRow } from 'pg';
import { Config } from './config';
import { DbCredentials, isInvalidPassword, SecretReader, secretsManagerReader } from './credentials';
import { log } from './log';
import { inc } from './metrics';
import { CircuitBreaker, retry } from './resilience';

/** Version → statements. Only ever append. No sequences (write forwarding), codes come from the app. */
export const MIGRATIONS: ReadonlyArray<readonly string[]> = [
  [
    `CREATE TABLE IF NOT EXISTS links (
       code text PRIMARY KEY,
       url text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       deleted_at timestamptz)`,
    `CREATE TABLE IF NOT EXISTS click_counts (
       code text PRIMARY KEY,
       clicks bigint NOT NULL DEFAULT 0,
       updated_at timestamptz NOT NULL DEFAULT now())`,
    // Message ids already applied: SQS delivers at least once.
    `CREATE TABLE IF NOT EXISTS processed_messages (
       message_id text PRIMARY KEY,
       processed_at timestamptz NOT NULL DEFAULT now())`,
    // LinkCreated events seen by the Previews worker (a stand-in for fetching a page preview).
    `CREATE TABLE IF NOT EXISTS link_events (
       code text PRIMARY KEY,
       url text NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now())`,
  ],
];

const MIGRATION_LOCK = 0x5c0de; // pg_advisory_lock key: one migrator at a time across tasks

export class Database {
  readonly writer: Pool;
  readonly reader: Pool;
  readonly breaker: CircuitBreaker;
  readonly credentials: DbCredentials;

  constructor(private readonly config: Config, readSecret: SecretReader = secretsManagerReader(config.region)) {
    const db = config.db;
    this.credentials = new DbCredentials(db.password, db.secretArn, readSecret);
    const base: PoolConfig = {
      port: db.port,
      database: db.name,
      user: db.user,
      // Asked for each new connection: after a rotation, the re-read password.
      password: () => this.credentials.password(),
      max: db.poolMax,
      connectionTimeoutMillis: db.timeoutMs,
      query_timeout: db.timeoutMs,
      statement_timeout: db.timeoutMs,
      idleTimeoutMillis: 30_000,
      ssl: db.ssl ? { rejectUnauthorized: true, ca: fs.existsSync(db.caFile) ? fs.readFileSync(db.caFile, 'utf8') : undefined } : false,
    };
    this.writer = new Pool({ ...base, host: db.host, application_name: 'shortener-writer' });
    this.reader = db.readerHost === db.host ? this.writer : new Pool({ ...base, host: db.readerHost, application_name: 'shortener-reader' });
    // An idle client's connection dropping (failover, restart) must not crash the process.
    for (const pool of new Set([this.writer, this.reader])) pool.on('error', err => log.warn('db idle client error', { err }));
    this.breaker = new CircuitBreaker('db', { failures: config.breakerFailures, openMs: config.breakerOpenMs });
  }

  /** One query through the breaker, with retries; `op` names the query in the metrics. */
  async query<R extends QueryResultRow>(op: string, target: 'writer' | 'reader', text: string, values: unknown[] = []): Promise<R[]> {
    const pool = target === 'writer' ? this.writer : this.reader;
    return this.breaker.exec(() => retry(`db_${op}`, async () => {
      inc(`db_queries_${op}`);
      inc('db_queries_total');
      try {
        const result = await pool.query<R>(text, values);
        return result.rows;
      } catch (err) {
        // The secret rotated since the task started: re-read it; the retry connects with it.
        if (isInvalidPassword(err)) await this.credentials.refresh();
        throw err;
      }
    }, { retries: this.config.retries, baseMs: 25, maxMs: 500, isRetryable: isTransient }));
  }

  /** A transaction on the writer (worker): BEGIN … COMMIT, ROLLBACK on error. */
  async transaction<T>(op: string, fn: (q: <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    return this.breaker.exec(async () => {
      inc(`db_queries_${op}`);
      inc('db_queries_total');
      const client = await this.writer.connect().catch(async (err) => {
        if (isInvalidPassword(err)) await this.credentials.refresh();
        throw err;
      });
      try {
        await client.query('BEGIN');
        const result = await fn(async <R extends QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    });
  }

  async ping(): Promise<void> {
    await this.reader.query('SELECT 1');
  }

  /** Idempotent, advisory-locked migrations (only where DB_MIGRATE=true: the primary region). */
  async migrate(): Promise<void> {
    if (!this.config.db.migrate) {
      log.info('migrations skipped (DB_MIGRATE is not true)');
      return;
    }
    const client = await retry('db_migrate_connect', () => this.writer.connect(), { retries: 10, baseMs: 100, maxMs: 2000 });
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(r => r.version));
      for (let i = 0; i < MIGRATIONS.length; i++) {
        const version = i + 1;
        if (done.has(version)) continue;
        await client.query('BEGIN');
        for (const statement of MIGRATIONS[i]) await client.query(statement);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
        log.info('migration applied', { version });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...new Set([this.writer, this.reader])].map(p => p.end().catch(() => undefined)));
  }
}

/** Connection-level failures are worth a retry; constraint violations and syntax errors are not. */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && /^(23|42|22)/.test(code)) return false;
  return true;
}
