/**
 * Lambda@Edge, viewer request: A/B testing. A first-time visitor is assigned a variant by
 * weight and redirected to the same URL with a sticky bucket cookie; a returning visitor's
 * request is routed to the variant's path prefix (before the cache lookup, so each variant is
 * cached separately). Configuration is baked into the bundle at synth.
 */
import { bakedConfig, CfEvent, CfRequest, CfResponse, readCookies } from './edge-event';

export interface AbVariant {
  /** Cookie value, e.g. 'b'. */
  name: string;
  /** Relative weight. */
  weight: number;
  /** Path prefix this variant is served from, e.g. '/experiments/b' ('' for the control). */
  pathPrefix: string;
}

export interface AbTestConfig {
  cookieName: string;
  cookieMaxAgeSeconds: number;
  variants: AbVariant[];
}

const CONFIG_JSON = '__CDK_SCALEOUT_CONFIG__';

/** Picks a variant by weight; `random` in [0, 1). */
export function pickVariant(variants: AbVariant[], random: number): AbVariant {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let point = random * total;
  for (const variant of variants) {
    if (point < variant.weight) return variant;
    point -= variant.weight;
  }
  return variants[variants.length - 1];
}

export function createHandler(config: AbTestConfig, random: () => number = Math.random) {
  const byName = new Map(config.variants.map((v) => [v.name, v]));
  return async (event: CfEvent): Promise<CfRequest | CfResponse> => {
    const request = event.Records[0].cf.request;
    const assigned = byName.get(readCookies(request.headers)[config.cookieName] ?? '');
    if (assigned) {
      if (assigned.pathPrefix && !request.uri.startsWith(assigned.pathPrefix + '/')) {
        request.uri = assigned.pathPrefix + request.uri;
      }
      return request;
    }
    const variant = pickVariant(config.variants, random());
    const location = request.uri + (request.querystring ? `?${request.querystring}` : '');
    return {
      status: '302',
      statusDescription: 'Found',
      headers: {
        'location': [{ key: 'Location', value: location }],
        'set-cookie': [{
          key: 'Set-Cookie',
          value: `${config.cookieName}=${variant.name}; Path=/; Max-Age=${config.cookieMaxAgeSeconds}; Secure; HttpOnly; SameSite=Lax`,
        }],
        'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
      },
    };
  };
}

let configured: ((event: CfEvent) => Promise<CfRequest | CfResponse>) | undefined;
export const handler = async (event: CfEvent): Promise<CfRequest | CfResponse> => {
  configured ??= createHandler(bakedConfig<AbTestConfig>(CONFIG_JSON));
  return configured(event);
};
