import { Rung } from '../rung';

/** What a rung gives each part the spec does not mention. */
export interface RungDefaults {
  readonly minTasks: number;
  readonly maxTasks: number;
  readonly natGateways: number;
  readonly readers: number;
  readonly maxReaders?: number;
  readonly cache: boolean;
  readonly cacheShards: number;
  readonly queues: boolean;
  readonly fanOut: boolean;
  readonly edge: boolean;
  readonly multiRegion: boolean;
}

export const RUNG_DEFAULTS: Record<Rung, RungDefaults> = {
  [Rung.SINGLE_SERVER]: {
    minTasks: 1,
    maxTasks: 1,
    natGateways: 1,
    readers: 0,
    cache: false,
    cacheShards: 1,
    queues: false,
    fanOut: false,
    edge: false,
    multiRegion: false,
  },
  [Rung.SEPARATE_DATA_TIER]: {
    minTasks: 1,
    maxTasks: 2,
    natGateways: 1,
    readers: 0,
    cache: true,
    cacheShards: 1,
    queues: false,
    fanOut: false,
    edge: false,
    multiRegion: false,
  },
  [Rung.LOAD_BALANCED_POOL]: {
    minTasks: 2,
    maxTasks: 10,
    natGateways: 2,
    readers: 1,
    maxReaders: 4,
    cache: true,
    cacheShards: 1,
    queues: true,
    fanOut: false,
    edge: false,
    multiRegion: false,
  },
  [Rung.FULL_DISTRIBUTION]: {
    minTasks: 2,
    maxTasks: 20,
    natGateways: 2,
    readers: 1,
    maxReaders: 6,
    cache: true,
    cacheShards: 2,
    queues: true,
    fanOut: true,
    edge: true,
    multiRegion: true,
  },
};
