/**
 * Internal: how a `ScaleoutStage` override lands on the props the stage computed.
 */

/** A plain object literal (`{ … }`), as opposed to arrays, class instances (Duration, IVpc…) and tokens. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `base` with `override` on top: every value the override defines wins; plain objects (scaling,
 * targetGroup, alarms, environment…) merge key by key; arrays and other values replace. An
 * undefined override returns `base` itself, so the no-override path passes the same props.
 */
export function mergeOptions<T extends object>(base: T, override: T | undefined): T {
  if (override === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions<object>(current, value) : value;
  }
  return out as T;
}
