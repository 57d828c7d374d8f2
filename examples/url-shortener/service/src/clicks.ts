/**
 * Click events off the request path: `record()` only increments a counter in a bounded
 * in-memory buffer (never awaits, never throws); a timer flushes the buffer as aggregated
 * messages (`{ type: 'clicks', counts: { code: n } }`) with SendMessageBatch (10 entries per
 * call). A full buffer drops clicks and counts them; failed entries go back into the buffer
 * while it has room. `close()` flushes what is left (SIGTERM).
 */
import { randomUUID } from 'crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { log } from './log';
import { gauge, inc } from './metrics';

const CODES_PER_MESSAGE = 500; // ~20 KB per message, far below SQS's 256 KiB
const ENTRIES_PER_BATCH = 10; // SendMessageBatch limit

export interface ClickMessage {
  readonly type: 'clicks';
  readonly counts: Record<string, number>;
  readonly sentAt: string;
}

export class ClickPublisher {
  private buffer = new Map<string, number>();
  private buffered = 0;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly sqs: SQSClient, private readonly queueUrl: string, flushMs: number, private readonly max: number) {
    gauge('clicks_buffered', () => this.buffered);
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  record(code: string): void {
    this.add(code, 1, 'clicks_recorded');
  }

  private add(code: string, n: number, metric: string): void {
    const room = this.max - this.buffered;
    const take = Math.min(room, n);
    if (take < n) inc('clicks_dropped', n - take);
    if (take <= 0) return;
    this.buffer.set(code, (this.buffer.get(code) ?? 0) + take);
    this.buffered += take;
    inc(metric, take);
  }

  /** Sends everything buffered now; one flush at a time. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffered === 0) return Promise.resolve();
    this.flushing = this.send().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async send(): Promise<void> {
    const counts = [...this.buffer.entries()];
    this.buffer = new Map();
    this.buffered = 0;
    const messages: Array<{ id: string; counts: Record<string, number>; total: number }> = [];
    for (let i = 0; i < counts.length; i += CODES_PER_MESSAGE) {
      const slice = counts.slice(i, i + CODES_PER_MESSAGE);
      messages.push({ id: randomUUID(), counts: Object.fromEntries(slice), total: slice.reduce((s, [, n]) => s + n, 0) });
    }
    for (let i = 0; i < messages.length; i += ENTRIES_PER_BATCH) {
      const batch = messages.slice(i, i + ENTRIES_PER_BATCH);
      const failed = new Set<string>();
      try {
        const result = await this.sqs.send(new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map(m => ({
            Id: m.id.replace(/-/g, ''),
            MessageBody: JSON.stringify({ type: 'clicks', counts: m.counts, sentAt: new Date().toISOString() } satisfies ClickMessage),
          })),
        }));
        for (const f of result.Failed ?? []) if (f.Id) failed.add(f.Id);
      } catch (err) {
        log.warn('click batch failed', { err, messages: batch.length });
        for (const m of batch) failed.add(m.id.replace(/-/g, ''));
      }
      for (const m of batch) {
        if (failed.has(m.id.replace(/-/g, ''))) {
          inc('click_messages_failed');
          for (const [code, n] of Object.entries(m.counts)) this.add(code, n, 'clicks_requeued');
        } else {
          inc('click_messages_sent');
          inc('clicks_sent', m.total);
        }
      }
    }
  }

  /** Stops the timer and flushes until the buffer is empty or the deadline passes. */
  async close(deadline: number): Promise<void> {
    clearInterval(this.timer);
    while (Date.now() < deadline) {
      await this.flush();
      if (this.buffered === 0) return;
      await new Promise(r => setTimeout(r, 50));
    }
    if (this.buffered > 0) {
      log.error('clicks lost at shutdown', { clicks: this.buffered });
      inc('clicks_dropped', this.buffered);
    }
  }
}
