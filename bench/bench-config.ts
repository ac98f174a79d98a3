import { loadConfig, type LoadedConfig } from '../src/config/load-config';

/**
 * The bench's config, loaded exactly as the worker loads it, with one bench-only change: tenants
 * named in BENCH_UNTHROTTLED_TENANTS get an unlimited client-side Lucca budget. The config schema
 * caps `requestsPerMinute` at Lucca's 50 (rightly); the "rate limits off" runs measure the engine
 * itself, so they lift that cap here rather than in the schema.
 */
export function loadBenchConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const loaded = loadConfig(path);
  const unthrottled = new Set((env.BENCH_UNTHROTTLED_TENANTS ?? '').split(',').filter(Boolean));
  for (const tenant of loaded.config.tenants) {
    if (unthrottled.has(tenant.id)) tenant.lucca.requestsPerMinute = 1_000_000_000;
  }
  return loaded;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (bench child processes are started by bench/run-bench.ts)`);
  return value;
}
