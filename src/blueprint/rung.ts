/**
 * The scaling ladder: what each rung deploys and why.
 *
 * | rung | deploys | why |
 * |---|---|---|
 * | 1 SINGLE_SERVER | an ALB in front of one task per service, a small single-writer Aurora Serverless v2 | the cheapest thing that works |
 * | 2 SEPARATE_DATA_TIER | 1–2 tasks, the database on its own (writer), a cache (primary + replica) | take read load and sessions off the database |
 * | 3 LOAD_BALANCED_POOL | 2–10 tasks across AZs, Aurora reader + replica auto-scaling, Multi-AZ cache, queues + workers | horizontal scale and zone failures |
 * | 4 FULL_DISTRIBUTION | CloudFront + WAF + edge functions, several regions behind GeoDNS, Aurora Global Database, a sharded cache, fan-out | latency for a global audience and region failures |
 */
export enum Rung {
  /** One task per service behind an ALB, a small single-writer database. */
  SINGLE_SERVER = 1,
  /** The database on its own with a cache beside the app. */
  SEPARATE_DATA_TIER = 2,
  /** ALB, auto-scaled services across AZs, Aurora readers with auto-scaling, Multi-AZ cache, queues and workers. */
  LOAD_BALANCED_POOL = 3,
  /** CloudFront with WAF and edge functions, several regions behind GeoDNS, Aurora Global Database, a sharded cache, fan-out. */
  FULL_DISTRIBUTION = 4,
}
