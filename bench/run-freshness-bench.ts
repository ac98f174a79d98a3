import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prepareChildRuntime } from './bench-children-runtime';
import { BenchWorld } from './bench-world';
import { log } from './measure-elevo-sync';
import {
  freshnessTenantSpecs,
  measureFreshness,
  renderFreshness,
  seedFreshness,
  spliceFreshness,
  type FreshnessArgs,
} from './measure-freshness';
import { seedPaths } from './measure-freshness-paths';

export const FRESHNESS_USAGE =
  'npm run bench -- freshness [--changes 200] [--spread-seconds 600] [--orders 50] [--idle-tenants 100] [--idle-seconds 300] [--runtime image|current] [--no-write]';

export function parseFreshnessArgs(argv: string[]): FreshnessArgs & { runtime: 'image' | 'current' } {
  const args = {
    changes: 200,
    spreadSeconds: 600,
    orders: 50,
    idleTenants: 100,
    idleSeconds: 300,
    write: true,
    runtime: 'image' as 'image' | 'current',
  };
  const count = (flag: string, value: string | undefined, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${flag} needs an integer between ${min} and ${max}\nusage: ${FRESHNESS_USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--changes') args.changes = count(flag, argv[++i], 1, 900);
    else if (flag === '--orders') args.orders = count(flag, argv[++i], 1, 500);
    else if (flag === '--spread-seconds') args.spreadSeconds = count(flag, argv[++i], 1, 3600);
    else if (flag === '--idle-tenants') args.idleTenants = count(flag, argv[++i], 1, 500);
    else if (flag === '--idle-seconds') args.idleSeconds = count(flag, argv[++i], 60, 3600);
    else if (flag === '--no-write') args.write = false;
    else if (flag === '--runtime' && (argv[i + 1] === 'image' || argv[i + 1] === 'current'))
      args.runtime = argv[++i] as 'image' | 'current';
    else throw new Error(`unknown option ${flag}\nusage: ${FRESHNESS_USAGE}`);
  }
  return args;
}

/** `npm run bench -- freshness …`: the change-feed scenario alone (it takes the spread plus a few minutes). */
export async function runFreshnessBench(argv: string[]): Promise<void> {
  const args = parseFreshnessArgs(argv);
  const runtime = await prepareChildRuntime(args.runtime);
  const world = await BenchWorld.start(freshnessTenantSpecs(args.idleTenants), runtime);
  let section: string;
  try {
    seedFreshness(world, args.idleTenants);
    const orderIds = seedPaths(world, args.orders);
    await world.luccaEvents?.connect(world.configPath, world.client, world.dataDir);
    section = renderFreshness(await measureFreshness(world, args, orderIds));
  } finally {
    await world.stop();
  }
  process.stdout.write(`${section}\n`);
  if (!args.write) return;
  const file = join(resolve(__dirname, '..'), 'BENCHMARK.md');
  writeFileSync(file, spliceFreshness(existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark\n', section));
  log('freshness results written to BENCHMARK.md');
}
