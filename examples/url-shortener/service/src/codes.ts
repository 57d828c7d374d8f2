/** Short codes (base62, random: no sequence, safe under write forwarding) and URL validation. */
import { randomInt } from 'crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Codes and aliases: what a redirect path may be. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const ALIAS_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;
/** Paths the service itself serves: never an alias. */
const RESERVED = new Set(['api', 'health', 'ready', 'metrics', 'assets', 'favicon.ico', 'robots.txt', 'index.html']);

export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += BASE62[randomInt(62)];
  return code;
}

export type Validation = { ok: true; value: string } | { ok: false; error: string };

export function validateAlias(alias: unknown): Validation {
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    return { ok: false, error: 'alias must be 3 to 32 characters of A-Z, a-z, 0-9, _ and -' };
  }
  if (RESERVED.has(alias.toLowerCase())) return { ok: false, error: `alias '${alias}' is reserved` };
  return { ok: true, value: alias };
}

/** http/https only, a host, no credentials, a length limit, and not one of the service's own hosts. */
export function validateTargetUrl(raw: unknown, maxLength: number, selfHosts: ReadonlySet<string>): Validation {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, error: 'url is required' };
  if (raw.length > maxLength) return { ok: false, error: `url must be at most ${maxLength} characters, got ${raw.length}` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'url is not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `url must be http or https, got '${url.protocol}'` };
  if (!url.hostname) return { ok: false, error: 'url must have a host' };
  if (url.username || url.password) return { ok: false, error: 'url must not carry credentials' };
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (selfHosts.has(host) || selfHosts.has(url.host.toLowerCase())) {
    return { ok: false, error: `url must not point at this service (${host})` };
  }
  return { ok: true, value: url.toString() };
}
