/**
 * The database password, kept current across rotations. ECS injects DB_PASSWORD once, at task
 * start; Secrets Manager rotates the master secret (RDS: every 7 days; the global database's:
 * every 30). After a rotation, new connections fail with 28P01 (invalid password): the pools
 * then read the secret named by DB_SECRET_ARN again — at most once per `minIntervalMs` — and the
 * next connection uses the new password. Without DB_SECRET_ARN the injected password is all
 * there is (local runs).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { log } from './log';
import { inc } from './metrics';

/** Reads `{ password }` (and more) from the secret. Injected in tests. */
export type SecretReader = (secretArn: string) => Promise<{ password?: string }>;

/** The default reader: Secrets Manager GetSecretValue (honours AWS_ENDPOINT_URL_SECRETS_MANAGER). */
export function secretsManagerReader(region: string): SecretReader {
  const client = new SecretsManagerClient({ region, maxAttempts: 3 });
  return async (secretArn) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return JSON.parse(out.SecretString ?? '{}') as { password?: string };
  };
}

/** PostgreSQL's SQLSTATE for a failed password authentication. */
export const INVALID_PASSWORD = '28P01';

export function isInvalidPassword(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === INVALID_PASSWORD;
}

export class DbCredentials {
  private value: string | undefined;
  private lastRead = -Infinity;
  private reading?: Promise<boolean>;

  constructor(
    initial: string | undefined,
    private readonly secretArn: string | undefined,
    private readonly read: SecretReader,
    private readonly minIntervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.value = initial;
  }

  /** What pg asks for each new connection. */
  password(): string {
    return this.value ?? '';
  }

  /**
   * Reads the secret again after an authentication failure; true when the password changed.
   * Concurrent callers share one read, and reads are at least `minIntervalMs` apart (a wrong
   * secret must not turn every failed connection into a Secrets Manager call).
   */
  async refresh(): Promise<boolean> {
    if (!this.secretArn) return false;
    if (this.reading) return this.reading;
    if (this.now() - this.lastRead < this.minIntervalMs) return false;
    this.lastRead = this.now();
    this.reading = (async () => {
      try {
        const { password } = await this.read(this.secretArn!);
        if (!password || password === this.value) return false;
        this.value = password;
        inc('db_credentials_refreshed');
        log.info('database password re-read from the secret after an authentication failure');
        return true;
      } catch (err) {
        inc('db_credentials_refresh_failures');
        log.warn('could not re-read the database secret', { err });
        return false;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}
