export * from './compliance/compliance';
export * from './network/network';
export * from './service/service-load-balancer';
export * from './service/target-group';
export * from './service/stateless-service';
export * from './database/aurora-database';
export * from './cache/cache-cluster';
