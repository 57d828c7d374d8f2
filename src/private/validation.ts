import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Internal validation helpers. Every message names the construct (type and path),
 * the prop, the value and the allowed range, e.g.
 * `StatelessService 'Stack/Api': scaling.maxTasks must be between 1 and 5000, got 0`.
 * Unresolved tokens are skipped: they are only known at deploy time.
 */
export class Validator {
  constructor(private readonly construct: IConstruct, private readonly kind: string) {}

  /** Throws with the construct's type and path prefixed. */
  public fail(message: string): never {
    throw new Error(`${this.kind} '${this.construct.node.path}': ${message}`);
  }

  /** Integer (or number when `integer` is false) in [min, max]. */
  public range(prop: string, value: number | undefined, min: number, max: number, opts: { integer?: boolean; unit?: string } = {}): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const unit = opts.unit ? ` ${opts.unit}` : '';
    const integer = opts.integer ?? true;
    if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      this.fail(`${prop} must be ${integer ? 'an integer ' : ''}between ${min} and ${max}${unit}, got ${value}${unit}`);
    }
  }

  /**
   * Duration in whole seconds within [minSeconds, maxSeconds]. The message shows the bounds in
   * readable units and the value in the unit the user wrote: `between 1 minute and 14 days, got 20 days`.
   */
  public seconds(prop: string, value: Duration | undefined, minSeconds: number, maxSeconds: number): void {
    if (value === undefined || value.isUnresolved()) return;
    const s = value.toSeconds({ integral: false });
    if (s < minSeconds || s > maxSeconds || !Number.isInteger(s)) {
      this.fail(`${prop} must be a whole number of seconds between ${humanSeconds(minSeconds)} and ${humanSeconds(maxSeconds)}, got ${formatDuration(value)}`);
    }
  }

  /**
   * `value` must be a member of the enum `enumObject`: TypeScript checks this at compile time,
   * JavaScript callers (and jsii languages passing strings) get this error instead.
   */
  public enumValue<T extends string | number>(prop: string, value: T | undefined, enumObject: Record<string, T | string>, enumName: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    const members = Object.entries(enumObject).filter(([key]) => !/^\d+$/.test(key));
    if (!members.some(([, v]) => v === value)) {
      this.fail(`${prop} must be one of ${members.map(([k, v]) => `${enumName}.${k} (${JSON.stringify(v)})`).join(', ')}, got ${JSON.stringify(value)}`);
    }
  }

  /** `value` must be one of `allowed`. */
  public oneOf<T extends string | number>(prop: string, value: T | undefined, allowed: readonly T[]): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!allowed.includes(value)) {
      this.fail(`${prop} must be one of ${allowed.join(', ')}, got ${value}`);
    }
  }

  /** String matching `pattern` (described in `description`). */
  public pattern(prop: string, value: string | undefined, pattern: RegExp, description: string): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!pattern.test(value)) {
      this.fail(`${prop} must be ${description}, got '${value}'`);
    }
  }
}

/** `Duration.days(40)` → `40 days`: the amount in the unit the user wrote. */
export function formatDuration(d: Duration): string {
  const m = /^Duration\.(\w+)\((.*)\)$/.exec(d.toString());
  return m ? `${m[2]} ${Number(m[2]) === 1 ? m[1].replace(/s$/, '') : m[1]}` : d.toHumanString();
}

/** A bound in the largest unit that divides it: 1209600 → `14 days`, 4000 → `4000 seconds`. */
export function humanSeconds(seconds: number): string {
  const units: Array<[string, number]> = [['day', 86400], ['hour', 3600], ['minute', 60]];
  const [name, size] = units.find(([, n]) => seconds > 0 && seconds % n === 0) ?? ['second', 1];
  const amount = seconds / size;
  return `${amount} ${name}${amount === 1 ? '' : 's'}`;
}
