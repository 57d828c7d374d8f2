/**
 * The queue worker: long-polls its queue (QUEUE_URL), applies each message once (the message
 * id goes into processed_messages in the same transaction as the effect: redeliveries are
 * no-ops), deletes what succeeded, and leaves failures to be redelivered after the visibility
 * timeout and moved to the DLQ by the queue's redrive policy (maxReceiveCount). On SIGTERM it
 * stops polling at once (the long poll is aborted), finishes the messages in hand, deletes
 * them and returns within the stop budget.
 */
import { DeleteMessageBatchCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Database } from './db';
import { log } from './log';
import { inc } from './metrics';
import { backoffMs, sleep } from './resilience';

export class PoisonMessageError extends Error {}

interface Effect {
  readonly kind: string;
  apply(q: <R extends object>(text: string, values?: unknown[]) => Promise<R[]>): Promise<void>;
}

/** What a message body means; throws PoisonMessageError for a body no retry can fix. */
export function parseMessage(body: string | undefined): Effect {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
  // SNS → SQS without raw message delivery wraps the event in a notification envelope.
  if (parsed && parsed.Type === 'Notification' && typeof parsed.Message === 'string') return parseMessage(parsed.Message);
  if (parsed?.type === 'clicks' && parsed.counts && typeof parsed.counts === 'object') {
    const entries = Object.entries(parsed.counts as Record<string, unknown>);
    if (!entries.every(([code, n]) => typeof code === 'string' && Number.isInteger(n) && (n as number) > 0)) {
      throw new PoisonMessageError('clicks.counts must map codes to positive integers');
    }
    return {
      kind: 'clicks',
      apply: async q => {
        await q(`INSERT INTO click_counts (code, clicks) SELECT * FROM unnest($1::text[], $2::bigint[])
                 ON CONFLICT (code) DO UPDATE SET clicks = click_counts.clicks + EXCLUDED.clicks, updated_at = now()`,
        [entries.map(([c]) => c), entries.map(([, n]) => n)]);
      },
    };
  }
  if (parsed?.type === 'LinkCreated' && typeof parsed.code === 'string' && typeof parsed.url === 'string') {
    return {
      kind: 'link_created',
      apply: async q => {
        await q('INSERT INTO link_events (code, url) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [parsed.code, parsed.url]);
      },
    };
  }
  throw new PoisonMessageError(`unknown message type '${String(parsed?.type)}'`);
}

export class QueueWorker {
  private running = false;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private lastPrune = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly db: Database,
    private readonly waitSeconds: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      // Database down: stop receiving (each receive would count towards maxReceiveCount and
      // push good messages into the DLQ); probe through the breaker until it closes.
      if (this.db.breaker.state !== 'closed') {
        try {
          await this.db.breaker.exec(() => this.db.ping());
        } catch {
          inc('worker_paused');
          await sleep(250);
          continue;
        }
      }
      this.prune();
      let messages: Message[];
      try {
        const result = await this.sqs.send(new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: this.waitSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }), { abortSignal: this.abort.signal });
        messages = result.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (!this.running) break;
        log.warn('receive failed', { err });
        await sleep(backoffMs(failures++, 100, 5000));
        continue;
      }
      if (messages.length > 0) await this.processBatch(messages);
    }
  }

  async processBatch(messages: Message[]): Promise<void> {
    const done: Message[] = [];
    await Promise.all(messages.map(async m => {
      try {
        const effect = parseMessage(m.Body);
        const applied = await this.db.transaction(`worker_${effect.kind}`, async q => {
          const fresh = await q('INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id', [m.MessageId]);
          if (fresh.length === 0) return false;
          await effect.apply(q);
          return true;
        });
        inc(applied ? 'worker_applied' : 'worker_duplicates');
        done.push(m);
      } catch (err) {
        // Not deleted: the queue redelivers it after the visibility timeout and moves it to
        // the DLQ after maxReceiveCount receives.
        inc('worker_failures');
        log.warn('message failed', { messageId: m.MessageId, receiveCount: m.Attributes?.ApproximateReceiveCount, err });
      }
    }));
    if (done.length === 0) return;
    try {
      const result = await this.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }));
      inc('worker_deleted', result.Successful?.length ?? 0);
    } catch (err) {
      // Redelivered later; the dedupe table makes that harmless.
      log.warn('delete failed', { err });
    }
  }

  /** The dedupe table only needs what SQS can still redeliver: 14 days is SQS's maximum retention. */
  private prune(): void {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    this.db.query('prune_processed', 'writer', "DELETE FROM processed_messages WHERE processed_at < now() - interval '15 days'")
      .catch(err => log.warn('prune failed', { err }));
  }

  /** Stops polling and waits for the messages in hand (up to the deadline). */
  async stop(deadline: number): Promise<void> {
    this.running = false;
    this.abort.abort();
    const left = Math.max(0, deadline - Date.now());
    await Promise.race([this.loop, sleep(left)]);
  }
}
