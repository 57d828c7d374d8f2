/**
 * Lambda@Edge, origin request: geolocation-based content. Reads CloudFront-Viewer-Country
 * (the behaviour's cache policy must include it, so each country set is cached apart) and
 * prefixes the path and/or adds headers for the origin, per a country map baked in at synth.
 */
import { bakedConfig, CfEvent, CfRequest } from './edge-event';

export interface GeoRule {
  /** Path prefix to serve from, e.g. '/de'. */
  pathPrefix?: string;
  /** Headers added to the origin request. */
  headers?: Record<string, string>;
}

export interface GeoContentConfig {
  /** ISO 3166-1 alpha-2 country code → rule. */
  countries: Record<string, GeoRule>;
  /** Rule for other countries. */
  defaultRule?: GeoRule;
}

const CONFIG_JSON = '__CDK_SCALEOUT_CONFIG__';

export function createHandler(config: GeoContentConfig) {
  return async (event: CfEvent): Promise<CfRequest> => {
    const request = event.Records[0].cf.request;
    const country = (request.headers['cloudfront-viewer-country']?.[0]?.value ?? '').toUpperCase();
    const rule = config.countries[country] ?? config.defaultRule;
    if (!rule) return request;
    if (rule.pathPrefix && !request.uri.startsWith(rule.pathPrefix + '/')) {
      request.uri = rule.pathPrefix + request.uri;
    }
    for (const [name, value] of Object.entries(rule.headers ?? {})) {
      request.headers[name.toLowerCase()] = [{ key: name, value }];
    }
    return request;
  };
}

let configured: ((event: CfEvent) => Promise<CfRequest>) | undefined;
export const handler = async (event: CfEvent): Promise<CfRequest> => {
  configured ??= createHandler(bakedConfig<GeoContentConfig>(CONFIG_JSON));
  return configured(event);
};
