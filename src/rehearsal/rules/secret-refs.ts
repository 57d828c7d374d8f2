import { RehearsalStack } from '../model';
import { resolveIn, walk } from '../resolve';

/** A reference to a Secrets Manager secret by name or (partial) ARN found in a template. */
export interface SecretRef {
  readonly account?: string;
  readonly region?: string;
  /** The secret part as written: a name, or a name with a `-XXXXXX` suffix or wildcard. */
  readonly secret: string;
  readonly property: string;
  readonly value: string;
}

const ARN = /arn:[a-z-]+:secretsmanager:([a-z0-9-]*):(\d*):secret:([^:"\s}]+)/g;
const RESOLVE = /\{\{resolve:secretsmanager:([^}]+)\}\}/g;

/** Secrets named in resource properties: ARNs (ECS `ValueFrom`, IAM policy resources, …) and `{{resolve:secretsmanager:…}}` references. */
export function secretRefs(stack: RehearsalStack, logicalId: string, properties: unknown): SecretRef[] {
  const out: SecretRef[] = [];
  walk(properties, 'Properties', (v, path) => {
    const text = typeof v === 'string' ? v : v && typeof v === 'object' && !Array.isArray(v) && ('Fn::Join' in v || 'Fn::Sub' in v) ? resolveIn(stack, v) : undefined;
    if (text === undefined) return;
    const seen = new Set<string>();
    for (const m of text.matchAll(RESOLVE)) {
      const id = m[1].split(':SecretString')[0];
      const arn = /^arn:[a-z-]+:secretsmanager:([a-z0-9-]*):(\d*):secret:(.+)$/.exec(id);
      const ref = arn ? { account: arn[2], region: arn[1], secret: arn[3].split(':')[0] } : { account: stack.account, region: stack.region, secret: id.split(':')[0] };
      seen.add(ref.secret);
      out.push({ ...ref, property: path, value: text });
    }
    for (const m of text.matchAll(ARN)) {
      if (text.includes('{{resolve:') && seen.has(m[3])) continue;
      out.push({ account: m[2] || stack.account, region: m[1] || stack.region, secret: m[3], property: path, value: text });
    }
  });
  void logicalId;
  return out;
}

/** Whether the secret part of a reference names `name` (exactly, with the random suffix, or with a suffix wildcard). */
export function namesSecret(secretPart: string, name: string): boolean {
  if (secretPart === name) return true;
  if (!secretPart.startsWith(name)) return false;
  const rest = secretPart.slice(name.length);
  return /^-[A-Za-z0-9]{6}$/.test(rest) || rest === '-??????' || rest === '*' || rest === '-*' || rest === '-??????*';
}
