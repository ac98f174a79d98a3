import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { temporalCliPath } from '../src/temporal/temporal-cli-path';
import { latencySizes, parseBenchArgs, rateLimitedSize, type BenchArgs } from './bench-args';
import { DEFAULT_ELEVO_CONCURRENCY, withPhysicalLimits } from './measure-latency';
import { manyTenantSpecs, measureManyTenants, seedManyTenants } from './measure-many-tenants';
import { BENCH_BUILD_DIR, describeChildRuntime, prepareChildRuntime, type ChildRuntime } from './bench-children-runtime';
import { BenchWorld, ORDERS_TENANT, type BenchTenantSpec } from './bench-world';
import { log, measureSyncSize, roundsFor, seedSyncSize, syncTenantIds, type SyncSizeResult } from './measure-elevo-sync';
import { measureRateLimited, RATE_LIMITED_TENANT, RATE_LIMITED_TENANTS } from './measure-rate-limited';
import { measureScreeningOrders } from './measure-screening-orders';
import { renderResults, spliceResults, type BenchEnvironment, type BenchResults } from './render-benchmark';
import { runFreshnessBench } from './run-freshness-bench';

const ROOT = resolve(__dirname, '..');
const BENCHMARK_FILE = join(ROOT, 'BENCHMARK.md');

/** HEAD's commit, read from .git without running git (the bench never touches the repository state). */
function headCommit(): string {
  try {
    let gitDir = join(ROOT, '.git');
    // A worktree's .git is a file pointing at its own git directory (HEAD there, refs shared).
    if (statSync(gitDir).isFile())
      gitDir = resolve(
        ROOT,
        readFileSync(gitDir, 'utf8')
          .replace(/^gitdir:\s*/, '')
          .trim(),
      );
    const commonDir = existsSync(join(gitDir, 'commondir'))
      ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim())
      : gitDir;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = head.slice(5);
    if (existsSync(join(commonDir, ref))) return readFileSync(join(commonDir, ref), 'utf8').trim().slice(0, 12);
    const packed = readFileSync(join(commonDir, 'packed-refs'), 'utf8')
      .split('\n')
      .find((l) => l.endsWith(` ${ref}`));
    return packed?.split(' ')[0]?.slice(0, 12) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function describeEnvironment(argv: string[], runtime: ChildRuntime): BenchEnvironment {
  const cli = temporalCliPath();
  const version = spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit: headCommit(),
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, ${type()} ${release()}`,
    node: process.version,
    // A `go install …@v1.5.1` build reports 0.0.0-DEV; the server and UI versions identify it.
    temporal: /0\.0\.0-DEV/.test(version)
      ? `v1.5.1 built from source (${version.replace(/^temporal version\s*/i, '')})`
      : version || 'unknown',
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    runners: describeChildRuntime(runtime),
  };
}

/** Both runners' tenants of one size, for every round: one Lucca domain, an Elevo account each. */
function syncTenantSpecs(size: number, rounds: number): BenchTenantSpec[] {
  return Array.from({ length: rounds }, (_, round) => syncTenantIds(size, round)).flatMap((ids) => [
    { id: ids.temporal, luccaDomain: ids.luccaDomain, elevoAccount: ids.temporal, unthrottled: true },
    { id: ids.plain, luccaDomain: ids.luccaDomain, elevoAccount: ids.plain, unthrottled: true },
  ]);
}

function tenantsFor(args: BenchArgs): BenchTenantSpec[] {
  const tenants = args.sizes.flatMap((size) => syncTenantSpecs(size, roundsFor(size, args.repeat)));
  const rlSize = rateLimitedSize(args.sizes);
  if (args.rateLimitedSeconds > 0 && rlSize !== undefined) {
    // Lucca's real budget; writes to the Elevo account the Temporal run already synced.
    for (const id of RATE_LIMITED_TENANTS)
      tenants.push({ id, luccaDomain: RATE_LIMITED_TENANT, elevoAccount: syncTenantIds(rlSize).temporal, unthrottled: false });
  }
  if (args.orders > 0) tenants.push({ id: ORDERS_TENANT, luccaDomain: ORDERS_TENANT, aequivalent: true, unthrottled: true });
  if (args.tenants > 0) tenants.push(...manyTenantSpecs(args.tenants));
  return tenants;
}

function latencyTenantsFor(sizes: number[], repeat: number): BenchTenantSpec[] {
  return sizes.flatMap((size) => syncTenantSpecs(size, roundsFor(size, repeat, true)));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'freshness') return runFreshnessBench(argv.slice(1));
  const args = parseBenchArgs(argv);
  log(`sizes ${args.sizes.join(', ')}; orders ${args.orders}; rate-limited ${args.rateLimitedSeconds} s`);
  const runtime = await prepareChildRuntime(args.runtime);
  const environment = describeEnvironment(argv, runtime);
  log(`worker and plain script: node ${runtime.version} (${runtime.kind}), compiled to ${BENCH_BUILD_DIR}`);
  const world = await BenchWorld.start(tenantsFor(args), runtime);
  const results: BenchResults = { environment, sizes: [] };
  try {
    for (const size of args.sizes) {
      const rounds = roundsFor(size, args.repeat);
      seedSyncSize(world, size, rounds);
      const measured: SyncSizeResult = await measureSyncSize(world, size, rounds);
      results.sizes.push(measured);
    }
    const rlSize = rateLimitedSize(args.sizes);
    if (args.rateLimitedSeconds > 0 && rlSize !== undefined)
      results.rateLimited = await measureRateLimited(world, rlSize, args.rateLimitedSeconds * 1000);
    if (args.orders > 0) results.orders = await measureScreeningOrders(world, args.ordersEmployees, args.orders);
    if (args.tenants > 0) {
      seedManyTenants(world, args.tenants, args.tenantEmployees);
      results.manyTenants = await measureManyTenants(world, args.tenants, args.tenantEmployees);
    }
  } finally {
    await world.stop();
  }
  const slowSizes = latencySizes(args.sizes);
  if (args.latency && slowSizes.length > 0) {
    log(
      `latency mode: Lucca ${args.latency.lucca} ms, Elevo ${args.latency.elevo} ms, Aequivalent ${args.latency.aequivalent} ms per call`,
    );
    const slow = await BenchWorld.start(latencyTenantsFor(slowSizes, args.repeat), runtime, args.latency);
    results.latency = [];
    try {
      for (const size of slowSizes) {
        const rounds = roundsFor(size, args.repeat, true);
        seedSyncSize(slow, size, rounds);
        results.latency.push(withPhysicalLimits(await measureSyncSize(slow, size, rounds), args.latency, DEFAULT_ELEVO_CONCURRENCY));
      }
    } finally {
      await slow.stop();
    }
  }
  const rendered = renderResults(results);
  process.stdout.write(`${rendered}\n`);
  if (args.write) {
    const current = existsSync(BENCHMARK_FILE) ? readFileSync(BENCHMARK_FILE, 'utf8') : '# Benchmark\n';
    writeFileSync(BENCHMARK_FILE, spliceResults(current, rendered));
    writeFileSync(join(ROOT, 'bench', 'last-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to BENCHMARK.md and bench/last-results.json`);
  }
}

main().catch((err) => {
  console.error(`[bench] failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
