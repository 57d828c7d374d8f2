/**
 * Resolves template values to strings at synth time: literals, and `Fn::Join` / `Fn::Sub` built
 * only from literals and the pseudo parameters a stack's environment fixes (`AWS::Region`,
 * `AWS::AccountId`, `AWS::Partition`, `AWS::URLSuffix`). Anything else is unresolved (undefined).
 */
import { CfnResource, RehearsalStack } from './model';

/** The environment values a template can be resolved with. */
export interface ResolveEnv {
  readonly account?: string;
  readonly region?: string;
}

function pseudo(name: string, env: ResolveEnv): string | undefined {
  switch (name) {
    case 'AWS::Region': return env.region;
    case 'AWS::AccountId': return env.account;
    case 'AWS::Partition': return env.region?.startsWith('cn-') ? 'aws-cn' : env.region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    case 'AWS::URLSuffix': return env.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    default: return undefined;
  }
}

/** The string `value` evaluates to, or undefined when it depends on anything but literals and the environment. */
export function resolveString(value: unknown, env: ResolveEnv): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const v = (value as Record<string, unknown>)[keys[0]];
  switch (keys[0]) {
    case 'Ref':
      return typeof v === 'string' ? pseudo(v, env) : undefined;
    case 'Fn::Join': {
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || !Array.isArray(v[1])) return undefined;
      const parts = (v[1] as unknown[]).map((p) => resolveString(p, env));
      return parts.every((p) => p !== undefined) ? parts.join(v[0]) : undefined;
    }
    case 'Fn::Sub': {
      const [text, vars] = typeof v === 'string' ? [v, {}] : Array.isArray(v) && typeof v[0] === 'string' ? [v[0], (v[1] ?? {}) as Record<string, unknown>] : [undefined, {}];
      if (text === undefined) return undefined;
      let ok = true;
      const out = text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const r = name in vars ? resolveString(vars[name], env) : pseudo(name, env);
        if (r === undefined) ok = false;
        return r ?? '';
      });
      return ok ? out.replace(/\$\{!/g, '${') : undefined;
    }
    default:
      return undefined;
  }
}

/** Resolves with the stack's environment. */
export function resolveIn(stack: RehearsalStack, value: unknown): string | undefined {
  return resolveString(value, stack);
}

/** The value at a dotted path (`a.b.0.c`) inside `obj`. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The logical id a `Ref` or `Fn::GetAtt` points at, if `value` is one. */
export function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every resource of a stack, with its logical id. */
export function resources(stack: RehearsalStack): Array<[string, CfnResource]> {
  return Object.entries(stack.template.Resources ?? {});
}

/** Every resource of `type` in the assembly, with its stack and logical ID. */
export function resourcesOfType(input: { readonly stacks: readonly RehearsalStack[] }, type: string): Array<[RehearsalStack, string, CfnResource]> {
  return input.stacks.flatMap((stack) => resources(stack)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]): [RehearsalStack, string, CfnResource] => [stack, id, r]));
}

/** Visits every value inside `value`, with its path. */
export function walk(value: unknown, path: string, visit: (v: unknown, path: string) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((x, i) => walk(x, `${path}.${i}`, visit));
  else if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) walk(x, `${path}.${k}`, visit);
}

/** Whether `from` depends on `to`, directly or transitively, by the manifests' `dependencies`. */
export function dependsOn(stacks: readonly RehearsalStack[], from: RehearsalStack, to: RehearsalStack): boolean {
  const byKey = new Map(stacks.map((s) => [s.key, s]));
  const seen = new Set<string>();
  const todo = [...from.dependencies];
  while (todo.length) {
    const k = todo.pop()!;
    if (k === to.key) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    todo.push(...(byKey.get(k)?.dependencies ?? []));
  }
  return false;
}

/** `value` as a short string for a finding. */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** How a finding names a resource: its construct path when the template has it, else `<stack>/<logicalId>`. */
export function label(stack: RehearsalStack, logicalId: string): string {
  const p = stack.template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? `${stack.name}/${logicalId} (${p})` : `${stack.name}/${logicalId}`;
}
