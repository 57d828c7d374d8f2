/** Circuit breaker, retries with exponential backoff and full jitter, timeouts. */
import { log } from './log';
import { inc, gauge } from './metrics';

export class BreakerOpenError extends Error {
  constructor(readonly breaker: string) {
    super(`circuit '${breaker}' is open`);
    this.name = 'BreakerOpenError';
  }
}

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failures: number;
  /** Time the circuit stays open before one half-open probe is let through. */
  readonly openMs: number;
}

/**
 * Closed: calls pass, consecutive failures are counted. Open: calls fail fast with
 * BreakerOpenError. After openMs one call (the probe) passes in half-open: success closes the
 * circuit, failure opens it again for openMs. Calls during the probe fail fast.
 */
export class CircuitBreaker {
  private stateValue: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(readonly name: string, private readonly options: BreakerOptions) {
    gauge(`breaker_${name}_state`, () => this.state);
  }

  get state(): BreakerState {
    return this.stateValue;
  }

  async exec<T>(fn: () => Promise<T>): Promise<T> {
    let probe = false;
    if (this.stateValue === 'open') {
      if (Date.now() - this.openedAt < this.options.openMs) {
        inc(`breaker_${this.name}_rejected`);
        throw new BreakerOpenError(this.name);
      }
      this.transition('half-open');
    }
    if (this.stateValue === 'half-open') {
      if (this.probing) {
        inc(`breaker_${this.name}_rejected`);
        throw new BreakerOpenError(this.name);
      }
      this.probing = true;
      probe = true;
    }
    try {
      const result = await fn();
      this.consecutiveFailures = 0;
      if (probe) this.transition('closed');
      return result;
    } catch (err) {
      this.consecutiveFailures++;
      if (probe || this.consecutiveFailures >= this.options.failures) {
        this.openedAt = Date.now();
        this.transition('open');
      }
      throw err;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private transition(to: BreakerState): void {
    if (this.stateValue === to) return;
    log.warn('circuit breaker', { breaker: this.name, from: this.stateValue, to });
    inc(`breaker_${this.name}_to_${to}`);
    this.stateValue = to;
  }
}

export interface RetryOptions {
  readonly retries: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly isRetryable?: (err: unknown) => boolean;
}

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Full-jitter exponential backoff (sleep = random(0, min(max, base·2^attempt))). */
export function backoffMs(attempt: number, baseMs = 20, maxMs = 1000): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

export async function retry<T>(what: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = !(err instanceof BreakerOpenError) && (options.isRetryable?.(err) ?? true);
      if (!retryable || attempt >= options.retries) throw err;
      inc(`retries_${what}`);
      await sleep(backoffMs(attempt, options.baseMs, options.maxMs));
    }
  }
}

export function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
