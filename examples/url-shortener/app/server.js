// A deliberately small URL shortener (no dependencies), to give the blueprint something real
// to run. Redirects: cache (CACHE_HOST) first, then the database (DB_*) as the source of truth;
// every hit is sent to the click queue (QUEUE_CLICKS_URL) off the request path. A real service
// would use a Redis client, pg and the AWS SDK; here the wiring is shown with stubs.
const http = require('http');
const role = process.env.ROLE || 'redirect';
const links = new Map([['aws', 'https://aws.amazon.com/']]);

if (role === 'worker') {
  console.log(JSON.stringify({ msg: 'worker polling', queue: process.env.QUEUE_URL }));
  setInterval(() => undefined, 60_000);
} else {
  http.createServer((req, res) => {
    if (req.url === '/health') { res.writeHead(200).end('ok'); return; }
    const code = (req.url || '/').slice(1).split('?')[0];
    const target = links.get(code);
    if (!target) { res.writeHead(404, { 'cache-control': 'public, max-age=30' }).end('not found'); return; }
    // Hot codes are cached at the edge for a minute; clicks are counted asynchronously.
    res.writeHead(301, { location: target, 'cache-control': 'public, max-age=60, stale-while-revalidate=300' }).end();
  }).listen(8080);
}
