import { Validator } from '../../private/validation';

/** RFC 7230 token characters, at most 40 (the ALB's limit on a header condition's name). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/;

/** Internal: checks a header name (shared by the load balancer and the distribution). */
export function validateOriginVerifyHeaderName(v: Validator, prop: string, name: string): void {
  v.pattern(prop, name, HEADER_NAME, '1–40 RFC 7230 token characters (letters, digits and !#$%&\'*+.^_`|~-)');
  const lower = name.toLowerCase();
  if (lower === 'host' || lower.startsWith('x-amz-') || lower.startsWith('x-edge-') || lower.startsWith('cloudfront-') || lower === 'x-forwarded-for' || lower === 'via') {
    v.fail(`${prop} must not be a header CloudFront or the ALB reserve (Host, Via, X-Forwarded-For, X-Amz-*, X-Edge-*, CloudFront-*), got '${name}'`);
  }
}

/** Internal: whether a string is a CloudFormation dynamic reference (resolved at deploy time). */
export function isDynamicReference(value: string): boolean {
  return /^\{\{resolve:[a-z-]+:.+\}\}$/.test(value);
}
