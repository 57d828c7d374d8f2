/**
 * `ScaleoutStage`'s `traffic:`: the plan fills every default the spec does not state
 * (explicit props always win).
 */
import { CapacityPlan, CapacityPlanner } from './capacity-planner';
import { RUNG_DEFAULTS } from '../blueprint/private/rung-defaults';
import { Rung } from '../blueprint/rung';
import type { ScaleoutStageProps } from '../blueprint/scaleout-stage';

/** The props with the plan's sizes where the spec says nothing, and the plan (none without `traffic`). */
export function applyTraffic(props: ScaleoutStageProps): { props: ScaleoutStageProps; plan?: CapacityPlan } {
  if (!props.traffic) return { props };
  const plan = CapacityPlanner.plan({ audienceRegions: props.regions, ...defined(props.traffic) });
  const rung: Rung = props.rung ?? plan.rung;
  const rungDefaults = RUNG_DEFAULTS[rung];
  const services = props.services.map((s) => ({
    ...s,
    scaling: { minTasks: plan.serviceTasksMin, maxTasks: plan.serviceTasksMax, ...defined(s.scaling ?? {}) },
  }));
  let database = props.database;
  if (rung >= Rung.LOAD_BALANCED_POOL && props.database?.enabled !== false) {
    const readers = props.database?.readers ?? plan.databaseReaders;
    const maxReaders = Math.max(readers, rungDefaults.maxReaders ?? 0);
    database = { readers, maxReaders, ...defined(props.database ?? {}) };
  }
  let cache = props.cache;
  if (rungDefaults.cache && plan.cacheShards > 0 && props.cache?.enabled !== false) {
    cache = { shards: plan.cacheShards, cacheNodeType: plan.cacheNodeType, ...defined(props.cache ?? {}) };
  }
  const queues = props.queues?.map((q) => (q.worker && plan.queueWorkersMax > 0
    ? { ...q, worker: { maxTasks: plan.queueWorkersMax, ...defined(q.worker) } }
    : q));
  return { props: { ...props, rung, services, database, cache, queues }, plan };
}

/** `o` without its undefined fields, so that spreading it keeps the plan's value. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
