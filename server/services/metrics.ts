import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: several apps in one test process share it, which is fine for counters. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'stint_http_request_duration_seconds',
  help: 'HTTP request durations by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  registers: [registry],
});

export const ingestCounter = new Counter({
  name: 'stint_ingest_total',
  help: 'Ingested items by kind (screenshot.presign, screenshot.complete, op.applied, op.rejected)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'stint_job_queue_depth',
  help: 'Jobs waiting in the queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});
