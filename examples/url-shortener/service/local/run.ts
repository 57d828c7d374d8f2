/**
 * `npm run example:local [-- --instances 3 --port 8080]`: the URL shortener on this machine.
 * Real: PostgreSQL, Valkey/Redis (AUTH), nginx (least_conn), the service bundle (the image's
 * dist/main.js) as 3 instances, the clicks worker and the previews worker. Stand-in: SQS and
 * SNS (local/aws-standin.ts), reached by the real AWS SDK clients. Ctrl-C stops everything.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalStack, SERVICE_DIR } from './stack';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

async function main(): Promise<void> {
  const bundle = path.join(SERVICE_DIR, 'dist', 'main.js');
  const stack = new LocalStack({
    instances: arg('instances', 3),
    port: arg('port', 8080),
    bundle: fs.existsSync(bundle) ? bundle : undefined,
    keep: true,
    env: { LOG_LEVEL: 'info' },
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack.stop();
    console.log(`stopped (logs kept in ${stack.dir})`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await stack.start();
  const url = stack.url;
  console.log(`
URL shortener running (logs: ${stack.dir})
  nginx (least_conn)  ${url}  → ${stack.instances.map(s => s.url).join(', ')}
  PostgreSQL          127.0.0.1:${stack.pg.port} (database shortener, user postgres${stack.tls ? `, TLS: psql "host=127.0.0.1 port=${stack.pg.port} user=postgres dbname=shortener sslmode=verify-full sslrootcert=${stack.tls.ca}"` : ''})
  Valkey/Redis        127.0.0.1:${stack.redis.port} (${stack.tls ? 'TLS, ' : ''}AUTH ${stack.redis.password})
  SQS/SNS stand-in    ${stack.aws.endpoint}  queues: clicks, previews (+ DLQs); topic link-created → previews
  workers             clicks, previews

Try:
  curl -s -XPOST ${url}/api/links -d '{"url":"https://aws.amazon.com/"}'
  curl -si ${url}/<code>
  curl -s ${url}/api/stats/<code>
  curl -s ${stack.instances[0].url}/metrics
Ctrl-C to stop.`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
