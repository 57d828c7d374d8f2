/**
 * A LOCAL STAND-IN for SQS and SNS, for the local run and the tests only (never deployed).
 * The service's clients are the real AWS SDK v3 clients, pointed here with
 * AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_SNS. It speaks what those clients send:
 * - SQS: the AWS JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Operation>`), with the MD5
 *   digests the SDK verifies; SendMessage(Batch), ReceiveMessage (long polling, visibility
 *   timeout, ApproximateReceiveCount), DeleteMessage(Batch), ChangeMessageVisibility,
 *   GetQueueAttributes, GetQueueUrl; a redrive policy moves a message to its DLQ when it is
 *   received more than maxReceiveCount times (as SQS does).
 * - SNS: the Query protocol (form-encoded `Action=Publish`, XML response); a topic fans out to
 *   its subscribed queues in the SNS notification envelope (no raw message delivery).
 * - Secrets Manager: GetSecretValue only (AWS JSON 1.1), of values the tests set.
 * Not implemented: FIFO, message attributes, delays, persistence, IAM, signatures (ignored).
 */
import { createHash, randomUUID } from 'crypto';
import * as http from 'http';

export interface QueueSpec {
  readonly name: string;
  /** Seconds (fractions allowed here, for fast tests). @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Name of the DLQ (must be declared too) and the receive count that sends a message there. */
  readonly deadLetter?: { readonly queue: string; readonly maxReceiveCount: number };
}

export interface TopicSpec {
  readonly name: string;
  readonly subscribers: readonly string[];
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
  receipt?: string;
  readonly sentAt: number;
}

const ACCOUNT = '000000000000';
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

class StandInError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

export class LocalQueue {
  readonly messages: StoredMessage[] = [];
  constructor(readonly spec: QueueSpec) {}

  get visible(): number {
    const now = Date.now();
    return this.messages.filter(m => m.visibleAt <= now).length;
  }

  get inFlight(): number {
    return this.messages.length - this.visible;
  }
}

export class AwsStandIn {
  readonly queues = new Map<string, LocalQueue>();
  readonly topics = new Map<string, TopicSpec>();
  /** Secrets Manager: ARN → SecretString (tests set them; GetSecretValue reads them). */
  readonly secrets = new Map<string, string>();
  private server?: http.Server;
  private waiters = new Set<() => void>();
  endpoint = '';
  readonly region: string;

  constructor(options: { queues: QueueSpec[]; topics?: TopicSpec[]; region?: string }) {
    this.region = options.region ?? 'us-east-1';
    for (const q of options.queues) this.queues.set(q.name, new LocalQueue(q));
    for (const t of options.topics ?? []) this.topics.set(t.name, t);
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.dispatch(req, res, body).catch(err => this.error(res, req, err));
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>(resolve => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w();
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  queueUrl(name: string): string {
    return `${this.endpoint}/${ACCOUNT}/${name}`;
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.region}:${ACCOUNT}:${name}`;
  }

  queue(name: string): LocalQueue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`no queue ${name}`);
    return q;
  }

  /** Sends like SendMessage (tests use it to plant messages). */
  send(queueName: string, body: string): string {
    const q = this.queue(queueName);
    const id = randomUUID();
    q.messages.push({ id, body, receiveCount: 0, visibleAt: Date.now(), sentAt: Date.now() });
    this.wake();
    return id;
  }

  /** Makes a deleted-or-not message visible again under the same id (a duplicate delivery). */
  redeliver(queueName: string, id: string, body: string): void {
    const q = this.queue(queueName);
    q.messages.push({ id, body, receiveCount: 0, visibleAt: Date.now(), sentAt: Date.now() });
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private queueFromUrl(url: unknown): LocalQueue {
    const name = typeof url === 'string' ? url.split('/').pop() ?? '' : '';
    const q = this.queues.get(name);
    if (!q) throw new StandInError('com.amazonaws.sqs#QueueDoesNotExist', `The specified queue does not exist: ${String(url)}`);
    return q;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AmazonSQS.')) {
      const input = JSON.parse(body || '{}');
      const output = await this.sqs(target.slice('AmazonSQS.'.length), input, res);
      const payload = JSON.stringify(output);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const input = JSON.parse(body || '{}') as { SecretId?: string };
      const value = this.secrets.get(input.SecretId ?? '');
      if (value === undefined) throw new StandInError('ResourceNotFoundException', `Secrets Manager can't find the specified secret: ${input.SecretId}`, 400);
      const payload = JSON.stringify({ ARN: input.SecretId, Name: input.SecretId, SecretString: value, VersionId: randomUUID(), VersionStages: ['AWSCURRENT'] });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'Publish') return this.publish(form, res);
    throw new StandInError('InvalidAction', `stand-in: unsupported request ${String(target ?? form.get('Action'))}`);
  }

  private async sqs(op: string, input: Record<string, any>, res: http.ServerResponse): Promise<unknown> {
    switch (op) {
      case 'GetQueueUrl':
        this.queueFromUrl(input.QueueName);
        return { QueueUrl: this.queueUrl(input.QueueName) };
      case 'SendMessage': {
        const q = this.queueFromUrl(input.QueueUrl);
        const id = this.send(q.spec.name, input.MessageBody);
        return { MessageId: id, MD5OfMessageBody: md5(input.MessageBody) };
      }
      case 'SendMessageBatch': {
        const q = this.queueFromUrl(input.QueueUrl);
        const entries = input.Entries as Array<{ Id: string; MessageBody: string }>;
        if (!entries?.length || entries.length > 10) throw new StandInError('com.amazonaws.sqs#TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10');
        return {
          Successful: entries.map(e => ({ Id: e.Id, MessageId: this.send(q.spec.name, e.MessageBody), MD5OfMessageBody: md5(e.MessageBody) })),
          Failed: [],
        };
      }
      case 'ReceiveMessage':
        return this.receive(this.queueFromUrl(input.QueueUrl), input, res);
      case 'DeleteMessage': {
        this.deleteByReceipt(this.queueFromUrl(input.QueueUrl), input.ReceiptHandle);
        return {};
      }
      case 'DeleteMessageBatch': {
        const q = this.queueFromUrl(input.QueueUrl);
        const entries = input.Entries as Array<{ Id: string; ReceiptHandle: string }>;
        for (const e of entries) this.deleteByReceipt(q, e.ReceiptHandle);
        return { Successful: entries.map(e => ({ Id: e.Id })), Failed: [] };
      }
      case 'ChangeMessageVisibility': {
        const q = this.queueFromUrl(input.QueueUrl);
        const m = q.messages.find(x => x.receipt === input.ReceiptHandle);
        if (m) m.visibleAt = Date.now() + Number(input.VisibilityTimeout) * 1000;
        this.wake();
        return {};
      }
      case 'GetQueueAttributes': {
        const q = this.queueFromUrl(input.QueueUrl);
        return { Attributes: { ApproximateNumberOfMessages: String(q.visible), ApproximateNumberOfMessagesNotVisible: String(q.inFlight) } };
      }
      default:
        throw new StandInError('com.amazonaws.sqs#UnsupportedOperation', `stand-in: ${op} is not implemented`);
    }
  }

  private deleteByReceipt(q: LocalQueue, receipt: string): void {
    // Only the latest receipt handle deletes (an older one belongs to an expired receive).
    const i = q.messages.findIndex(m => m.receipt === receipt);
    if (i >= 0) q.messages.splice(i, 1);
  }

  private take(q: LocalQueue, max: number, visibilitySeconds: number): StoredMessage[] {
    const now = Date.now();
    const out: StoredMessage[] = [];
    for (let i = 0; i < q.messages.length && out.length < max;) {
      const m = q.messages[i];
      if (m.visibleAt > now) {
        i++;
        continue;
      }
      const dl = q.spec.deadLetter;
      if (dl && m.receiveCount >= dl.maxReceiveCount) {
        // Redrive: received maxReceiveCount times and not deleted → the DLQ.
        q.messages.splice(i, 1);
        this.queue(dl.queue).messages.push({ ...m, visibleAt: now, receipt: undefined }); // keeps its receive count, as SQS does
        continue;
      }
      m.receiveCount++;
      m.receipt = randomUUID();
      m.visibleAt = now + visibilitySeconds * 1000;
      out.push(m);
      i++;
    }
    return out;
  }

  private async receive(q: LocalQueue, input: Record<string, any>, res: http.ServerResponse): Promise<unknown> {
    const max = Math.min(10, Number(input.MaxNumberOfMessages ?? 1));
    const visibility = input.VisibilityTimeout !== undefined ? Number(input.VisibilityTimeout) : (q.spec.visibilityTimeoutSeconds ?? 30);
    const deadline = Date.now() + Number(input.WaitTimeSeconds ?? 0) * 1000;
    let taken = this.take(q, max, visibility);
    let gone = false;
    res.once('close', () => { gone = true; });
    while (taken.length === 0 && Date.now() < deadline && !gone) {
      // Wake on a send, or in 20 ms (visibility timeouts expiring).
      await new Promise<void>(resolve => {
        const done = () => {
          this.waiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, Math.min(20, Math.max(0, deadline - Date.now())));
        this.waiters.add(done);
      });
      taken = this.take(q, max, visibility);
    }
    if (gone && taken.length) {
      for (const m of taken) m.visibleAt = Date.now(); // the client went away: nothing was delivered
      return { Messages: [] };
    }
    return {
      Messages: taken.map(m => ({
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        MD5OfBody: md5(m.body),
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
      })),
    };
  }

  private publish(form: URLSearchParams, res: http.ServerResponse): void {
    const arn = form.get('TopicArn') ?? '';
    const topic = this.topics.get(arn.split(':').pop() ?? '');
    if (!topic) throw new StandInError('NotFound', `Topic does not exist: ${arn}`, 404);
    const messageId = randomUUID();
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: arn,
      Message: form.get('Message') ?? '',
      Timestamp: new Date().toISOString(),
    });
    for (const q of topic.subscribers) this.send(q, envelope);
    const xml = '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
      + `<MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId>`
      + '</ResponseMetadata></PublishResponse>';
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
  }

  private error(res: http.ServerResponse, req: http.IncomingMessage, err: unknown): void {
    const e = err instanceof StandInError ? err : new StandInError('InternalFailure', (err as Error).message, 500);
    if (res.headersSent) return;
    if (req.headers['x-amz-target']) {
      const payload = JSON.stringify({ __type: e.type, message: e.message });
      res.writeHead(e.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    } else {
      const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>${e.type}</Code><Message>${e.message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
      res.writeHead(e.status, { 'content-type': 'text/xml' });
      res.end(xml);
    }
  }
}
