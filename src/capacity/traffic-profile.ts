/**
 * The traffic a stage must carry, in the back-of-envelope terms of capacity planning:
 * users × requests × bytes, the peak, the read/write mix, the cache hit rate and the data kept.
 * Every rate uses 30-day months and 86,400-second days; 1 KB = 1,000 bytes.
 */
export interface TrafficProfile {
  /**
   * Daily active users.
   *
   * @default 100000
   */
  readonly dailyActiveUsers?: number;

  /**
   * Requests per user per day.
   *
   * @default 10
   */
  readonly requestsPerUserPerDay?: number;

  /**
   * Requests per month, instead of users × requests (e.g. 1.1 billion for 100 million writes
   * and 1 billion reads). Wins over `dailyActiveUsers` × `requestsPerUserPerDay` when set.
   *
   * @default - dailyActiveUsers × requestsPerUserPerDay × 30
   */
  readonly requestsPerMonth?: number;

  /**
   * Bytes sent per request (response size).
   *
   * @default 1000
   */
  readonly bytesPerRequest?: number;

  /**
   * Peak requests per second ÷ average requests per second.
   *
   * @default 3
   */
  readonly peakToAverage?: number;

  /**
   * Reads per write (10 means 10 reads for every write).
   *
   * @default 10
   */
  readonly readWriteRatio?: number;

  /**
   * The fraction of reads the cache answers, 0 to 1 (0.9 sends one read in ten to the database).
   *
   * @default 0.9
   */
  readonly cacheHitRate?: number;

  /**
   * Bytes stored per write (one record, indexes included).
   *
   * @default 500
   */
  readonly recordSizeBytes?: number;

  /**
   * Years the records are kept.
   *
   * @default 5
   */
  readonly retentionYears?: number;

  /**
   * Regions of the audience (where the users are). More than one puts the stage on rung 4.
   *
   * @default ['us-east-1']
   */
  readonly audienceRegions?: string[];

  /**
   * Requests per second one service task (0.5 vCPU, 1 GB) serves at its scaling target.
   *
   * @default 200
   */
  readonly requestsPerTask?: number;

  /**
   * Writes per second one database writer takes with headroom (one small Aurora PostgreSQL writer).
   *
   * @default 1000
   */
  readonly writesPerWriter?: number;

  /**
   * Reads per second one database instance (writer or reader) takes with headroom.
   *
   * @default 2000
   */
  readonly readsPerInstance?: number;

  /**
   * Operations per second one cache node takes with headroom.
   *
   * @default 50000
   */
  readonly opsPerCacheNode?: number;

  /**
   * Background jobs (queue messages) per write, e.g. 1 for one click event per redirect write.
   *
   * @default 1
   */
  readonly jobsPerWrite?: number;

  /**
   * Messages per second one worker task processes.
   *
   * @default 50
   */
  readonly messagesPerWorker?: number;
}
