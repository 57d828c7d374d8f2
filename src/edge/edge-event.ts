/**
 * Minimal CloudFront Lambda@Edge event types (CDK-free, shared by the edge handlers).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html
 */
export interface CfHeader { key?: string; value: string }
export type CfHeaders = Record<string, CfHeader[]>;

export interface CfRequest {
  clientIp?: string;
  method: string;
  uri: string;
  querystring: string;
  headers: CfHeaders;
}

export interface CfResponse {
  status: string;
  statusDescription?: string;
  headers?: CfHeaders;
  body?: string;
}

export interface CfEvent {
  Records: Array<{ cf: { config?: { eventType?: string }; request: CfRequest } }>;
}

/**
 * The placeholder the constructs replace with the handler's JSON configuration at synth.
 * Built at run time so that the bundle holds the literal exactly once (in the handler).
 */
export const CONFIG_PLACEHOLDER = ['__CDK_SCALEOUT', 'CONFIG__'].join('_');

/** Reads the configuration baked into the bundle; throws if the bundle was not configured. */
export function bakedConfig<T>(baked: string): T {
  if (baked === CONFIG_PLACEHOLDER) {
    throw new Error('cdk-scaleout edge handler: configuration was not baked into this bundle');
  }
  return JSON.parse(baked) as T;
}

/** Cookie values of a request, by name. */
export function readCookies(headers: CfHeaders): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const header of headers.cookie ?? []) {
    for (const part of header.value.split(';')) {
      const i = part.indexOf('=');
      if (i > 0) cookies[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
  }
  return cookies;
}
