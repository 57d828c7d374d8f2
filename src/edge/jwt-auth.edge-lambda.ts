/**
 * Lambda@Edge, viewer request: JWT validation. Verifies the token's signature (RS256 or
 * ES256) against a public key baked into the bundle, its expiry and not-before times, and
 * optionally issuer and audience; anything else gets 401 without reaching the origin.
 */
import { createPublicKey, KeyObject, verify } from 'crypto';
import { bakedConfig, CfEvent, CfRequest, CfResponse, readCookies } from './edge-event';

export interface JwtAuthConfig {
  /** PEM public key. */
  publicKeyPem: string;
  /** 'RS256' or 'ES256'. */
  algorithm: 'RS256' | 'ES256';
  /** Required `iss`, if any. */
  issuer?: string;
  /** Required `aud` (one of), if any. */
  audience?: string;
  /** Cookie holding the token when there is no `Authorization: Bearer` header. */
  cookieName?: string;
  /** Clock skew allowed, seconds. */
  leewaySeconds: number;
}

const CONFIG_JSON = '__CDK_SCALEOUT_CONFIG__';

function b64url(part: string): Buffer {
  return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function unauthorized(reason: string): CfResponse {
  return {
    status: '401',
    statusDescription: 'Unauthorized',
    headers: {
      'www-authenticate': [{ key: 'WWW-Authenticate', value: `Bearer error="invalid_token", error_description="${reason}"` }],
      'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
      'content-type': [{ key: 'Content-Type', value: 'text/plain' }],
    },
    body: 'Unauthorized',
  };
}

/** Returns why `token` is not acceptable, or undefined when it is. */
export function checkToken(token: string, config: JwtAuthConfig, key: KeyObject, nowSeconds: number): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed token';
  let header: { alg?: string };
  let payload: { exp?: number; nbf?: number; iss?: string; aud?: string | string[] };
  try {
    header = JSON.parse(b64url(parts[0]).toString('utf8'));
    payload = JSON.parse(b64url(parts[1]).toString('utf8'));
  } catch {
    return 'malformed token';
  }
  if (header.alg !== config.algorithm) return 'unexpected algorithm';
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = b64url(parts[2]);
  const ok = config.algorithm === 'RS256'
    ? verify('RSA-SHA256', signed, key, signature)
    : verify('SHA256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) return 'bad signature';
  if (typeof payload.exp !== 'number' || payload.exp + config.leewaySeconds < nowSeconds) return 'expired';
  if (typeof payload.nbf === 'number' && payload.nbf - config.leewaySeconds > nowSeconds) return 'not yet valid';
  if (config.issuer !== undefined && payload.iss !== config.issuer) return 'wrong issuer';
  if (config.audience !== undefined) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(config.audience)) return 'wrong audience';
  }
  return undefined;
}

export function createHandler(config: JwtAuthConfig, now: () => number = () => Date.now() / 1000) {
  const key = createPublicKey(config.publicKeyPem);
  return async (event: CfEvent): Promise<CfRequest | CfResponse> => {
    const request = event.Records[0].cf.request;
    const auth = request.headers.authorization?.[0]?.value ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim()
      : (config.cookieName ? readCookies(request.headers)[config.cookieName] : undefined);
    if (!token) return unauthorized('missing token');
    const problem = checkToken(token, config, key, now());
    return problem ? unauthorized(problem) : request;
  };
}

let configured: ((event: CfEvent) => Promise<CfRequest | CfResponse>) | undefined;
export const handler = async (event: CfEvent): Promise<CfRequest | CfResponse> => {
  configured ??= createHandler(bakedConfig<JwtAuthConfig>(CONFIG_JSON));
  return configured(event);
};
