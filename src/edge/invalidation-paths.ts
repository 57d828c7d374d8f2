/**
 * CloudFront invalidation path rules, shared by the invalidation constructs and their
 * handlers (CDK-free and SDK-free, so both can import it).
 */

/** A valid invalidation path: starts with '/', printable, at most 4,000 characters, '*' only last. */
export function isValidPath(path: unknown): path is string {
  return typeof path === 'string' && /^\/[\x21-\x7e]{0,3999}$/.test(path) && (!path.includes('*') || path.indexOf('*') === path.length - 1);
}
