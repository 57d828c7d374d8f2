import { generateKeyPairSync, sign } from 'crypto';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as abTest, pickVariant } from '../../src/edge/ab-test.edge-lambda';
import { CfEvent, CfRequest, CfResponse } from '../../src/edge/edge-event';
import { createHandler as geoContent } from '../../src/edge/geo-content.edge-lambda';
import { createHandler as invalidate } from '../../src/edge/invalidate.lambda';
import { batchPaths, RetryOptions } from '../../src/edge/invalidation-client';
import { createHandler as jwtAuth } from '../../src/edge/jwt-auth.edge-lambda';
import { createHandler as purge } from '../../src/edge/purge.lambda';

function viewerRequest(uri: string, headers: Record<string, string> = {}, querystring = ''): CfEvent {
  return {
    Records: [{
      cf: {
        request: {
          method: 'GET',
          uri,
          querystring,
          headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [{ key: k, value: v }]])),
        },
      },
    }],
  };
}

describe('A/B test edge handler', () => {
  const config = {
    cookieName: 'ab',
    cookieMaxAgeSeconds: 86400,
    variants: [{ name: 'a', weight: 80, pathPrefix: '' }, { name: 'b', weight: 20, pathPrefix: '/exp-b' }],
  };

  test('GIVEN a first visit WHEN handled THEN redirects to the same URL with a sticky, secure bucket cookie', async () => {
    const response = await abTest(config, () => 0.9)(viewerRequest('/pricing', {}, 'x=1')) as CfResponse;
    expect(response.status).toBe('302');
    expect(response.headers!.location[0].value).toBe('/pricing?x=1');
    expect(response.headers!['set-cookie'][0].value).toBe('ab=b; Path=/; Max-Age=86400; Secure; HttpOnly; SameSite=Lax');
  });

  test('GIVEN a visitor in bucket b WHEN handled THEN the request goes to the variant path', async () => {
    const request = await abTest(config)(viewerRequest('/pricing', { Cookie: 'other=1; ab=b' })) as CfRequest;
    expect(request.uri).toBe('/exp-b/pricing');
  });

  test('GIVEN a visitor in the control bucket WHEN handled THEN the path is unchanged', async () => {
    const request = await abTest(config)(viewerRequest('/pricing', { Cookie: 'ab=a' })) as CfRequest;
    expect(request.uri).toBe('/pricing');
  });

  test('GIVEN weights 80/20 WHEN picking THEN the boundary falls at 0.8', () => {
    expect(pickVariant(config.variants, 0.79).name).toBe('a');
    expect(pickVariant(config.variants, 0.8).name).toBe('b');
  });
});

describe('JWT auth edge handler', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = (payload: object, alg = 'RS256') => {
    const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
  };
  const now = 1_800_000_000;
  const handler = jwtAuth({ publicKeyPem: pem, algorithm: 'RS256', issuer: 'https://id.example.com', audience: 'shop', cookieName: 'session', leewaySeconds: 30 }, () => now);
  const valid = { exp: now + 600, iss: 'https://id.example.com', aud: 'shop' };

  test('GIVEN a valid bearer token WHEN handled THEN the request passes through', async () => {
    const out = await handler(viewerRequest('/account', { Authorization: `Bearer ${token(valid)}` }));
    expect((out as CfRequest).uri).toBe('/account');
  });

  test('GIVEN a valid token in the cookie WHEN handled THEN the request passes through', async () => {
    const out = await handler(viewerRequest('/account', { Cookie: `session=${token(valid)}` }));
    expect((out as CfRequest).uri).toBe('/account');
  });

  test.each([
    ['no token', {}, 'missing token'],
    ['an expired token', { Authorization: `Bearer ${token({ ...valid, exp: now - 60 })}` }, 'expired'],
    ['a tampered payload', { Authorization: `Bearer ${token(valid).replace(/^([^.]+)\.[^.]+/, `$1.${b64({ ...valid, aud: 'admin' })}`)}` }, 'bad signature'],
    ['another issuer', { Authorization: `Bearer ${token({ ...valid, iss: 'https://evil.example.com' })}` }, 'wrong issuer'],
    ['another audience', { Authorization: `Bearer ${token({ ...valid, aud: ['other'] })}` }, 'wrong audience'],
    ['alg none', { Authorization: `Bearer ${b64({ alg: 'none' })}.${b64(valid)}.` }, 'unexpected algorithm'],
    ['garbage', { Authorization: 'Bearer abc' }, 'malformed token'],
  ])('GIVEN %s WHEN handled THEN answers 401 without reaching the origin', async (_name, headers, reason) => {
    const out = await handler(viewerRequest('/account', headers as Record<string, string>)) as CfResponse;
    expect(out.status).toBe('401');
    expect(out.headers!['www-authenticate'][0].value).toContain(reason);
    expect(out.headers!['cache-control'][0].value).toBe('no-store');
  });
});

describe('geo content edge handler', () => {
  const handler = geoContent({ countries: { DE: { pathPrefix: '/de', headers: { 'X-Currency': 'EUR' } } }, defaultRule: { headers: { 'X-Currency': 'USD' } } });

  test('GIVEN a viewer in Germany WHEN handled THEN the origin gets the German path and currency', async () => {
    const req = await handler(viewerRequest('/products', { 'CloudFront-Viewer-Country': 'DE' }));
    expect(req.uri).toBe('/de/products');
    expect(req.headers['x-currency'][0].value).toBe('EUR');
  });

  test('GIVEN a viewer elsewhere WHEN handled THEN the default rule applies', async () => {
    const req = await handler(viewerRequest('/products', { 'CloudFront-Viewer-Country': 'BR' }));
    expect(req.uri).toBe('/products');
    expect(req.headers['x-currency'][0].value).toBe('USD');
  });
});

describe('invalidation handlers', () => {
  const cf = mockClient(CloudFrontClient);
  const sleeps: number[] = [];
  const retry: RetryOptions = { attempts: 3, baseDelayMs: 100, sleep: async (ms) => { sleeps.push(ms); } };
  const throttled = Object.assign(new Error('slow down'), { name: 'TooManyInvalidationsInProgress' });
  beforeEach(() => { cf.reset(); sleeps.length = 0; });

  const crEvent = (type: 'Create' | 'Update' | 'Delete', paths = ['/index.html', '/*']) => ({
    RequestType: type,
    RequestId: 'req-1',
    PhysicalResourceId: type === 'Create' ? undefined : 'E1-deploy-invalidation',
    ResourceProperties: { DistributionId: 'E1', Paths: paths, DeploymentId: 'v2' },
  });

  test('GIVEN a deployment WHEN the custom resource is created THEN invalidates the paths with the request ID as caller reference', async () => {
    cf.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined } });
    const out = await invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Create') as never);
    expect(out).toEqual({ PhysicalResourceId: 'E1-deploy-invalidation', Data: { InvalidationIds: 'I1' } });
    expect(cf.commandCalls(CreateInvalidationCommand)[0].args[0].input).toEqual({
      DistributionId: 'E1',
      InvalidationBatch: { CallerReference: 'req-1-0', Paths: { Quantity: 2, Items: ['/index.html', '/*'] } },
    });
  });

  test('GIVEN a delete WHEN handled THEN nothing is invalidated', async () => {
    const out = await invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Delete') as never);
    expect(out.PhysicalResourceId).toBe('E1-deploy-invalidation');
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });

  test('GIVEN throttling once WHEN invalidating THEN retries with backoff and succeeds', async () => {
    cf.on(CreateInvalidationCommand).rejectsOnce(throttled).resolves({ Invalidation: { Id: 'I2' } as never });
    const out = await invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Update') as never);
    expect(out.Data).toEqual({ InvalidationIds: 'I2' });
    expect(sleeps).toEqual([100]);
  });

  test('GIVEN throttling that persists WHEN invalidating THEN the error surfaces after the last attempt', async () => {
    cf.on(CreateInvalidationCommand).rejects(throttled);
    await expect(invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Update') as never)).rejects.toThrow('slow down');
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  test('GIVEN an access error WHEN invalidating THEN it surfaces at once, without retries', async () => {
    cf.on(CreateInvalidationCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Create') as never)).rejects.toThrow('denied');
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(1);
  });

  test('GIVEN a bad path WHEN the custom resource is created THEN it fails naming the path', async () => {
    await expect(invalidate(cf as unknown as CloudFrontClient, retry)(crEvent('Create', ['index.html']) as never)).rejects.toThrow(/bad paths \["index.html"\]/);
  });

  test('GIVEN purge messages WHEN handled THEN paths are deduplicated into one invalidation', async () => {
    cf.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I3' } as never });
    const out = await purge(cf as unknown as CloudFrontClient, 'E1', retry)({
      Records: [
        { messageId: 'm1', body: JSON.stringify({ paths: ['/p/1', '/p/2'] }) },
        { messageId: 'm2', body: JSON.stringify({ paths: ['/p/2', '/api/p/*'] }) },
      ],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(cf.commandCalls(CreateInvalidationCommand)).toHaveLength(1);
    expect(cf.commandCalls(CreateInvalidationCommand)[0].args[0].input.InvalidationBatch!.Paths).toEqual({ Quantity: 3, Items: ['/p/1', '/p/2', '/api/p/*'] });
  });

  test('GIVEN a malformed message and a failing invalidation WHEN handled THEN only the affected messages fail', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    cf.on(CreateInvalidationCommand).rejects(throttled);
    const out = await purge(cf as unknown as CloudFrontClient, 'E1', retry)({
      Records: [
        { messageId: 'bad', body: 'not json' },
        { messageId: 'm1', body: JSON.stringify({ paths: ['/p/1'] }) },
      ],
    });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad', 'm1']);
    jest.restoreAllMocks();
  });

  test('GIVEN 3,001 paths and 16 wildcards WHEN batched THEN CloudFront limits hold in every batch', () => {
    const paths = [...Array.from({ length: 3001 }, (_, i) => `/p/${i}`), ...Array.from({ length: 16 }, (_, i) => `/w/${i}/*`)];
    const batches = batchPaths(paths);
    expect(batches.every((b) => b.length <= 3000 && b.filter((p) => p.includes('*')).length <= 15)).toBe(true);
    expect(batches.flat()).toHaveLength(3017);
  });
});
