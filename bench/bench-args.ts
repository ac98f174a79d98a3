export interface BenchArgs {
  sizes: number[];
  /** Pending orders in the orders scenario; 0 skips it. */
  orders: number;
  /** Employees in the orders domain. */
  ordersEmployees: number;
  /** Duration of the rate-limited scenario; 0 skips it. */
  rateLimitedSeconds: number;
  /** Write the results into BENCHMARK.md (default) or only print them. */
  write: boolean;
  /** Latency mode: the sync sizes up to 10,000 again with simulators this slow; undefined skips it. */
  latency: { lucca: number; elevo: number; aequivalent: number } | undefined;
  /** Tenants of the many-tenants case (each its own Lucca domain and budget); 0 skips it. */
  tenants: number;
  tenantEmployees: number;
  /** Rounds per size without latency (median reported); 100,000 is measured once. */
  repeat: number;
  /** Node.js of the worker and the plain script: the production image's (default) or the one running the bench. */
  runtime: 'image' | 'current';
}

export const DEFAULT_SIZES = [1_000, 10_000];
export const FULL_SIZES = [1_000, 10_000, 100_000];

export const USAGE = `npm run bench -- [--sizes 1000,10000,100000 | --full] [--orders 1000] [--orders-employees 5000] [--rate-limited-seconds 180] [--latency lucca=150,elevo=80,aequivalent=200 | --no-latency] [--tenants 100] [--tenant-employees 1000] [--repeat 3] [--runtime image|current] [--no-write]`;

/** Pure: `process.argv.slice(2)` → options; throws on anything it does not understand. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    sizes: DEFAULT_SIZES,
    orders: 1_000,
    ordersEmployees: 5_000,
    rateLimitedSeconds: 180,
    write: true,
    latency: { lucca: 150, elevo: 80, aequivalent: 200 },
    tenants: 100,
    tenantEmployees: 1_000,
    repeat: 3,
    runtime: 'image',
  };
  const count = (flag: string, value: string | undefined, max: number): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < 0 || parsed > max)
      throw new Error(`${flag} needs an integer between 0 and ${max}\nusage: ${USAGE}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    switch (flag) {
      case '--full':
        args.sizes = FULL_SIZES;
        break;
      case '--sizes':
        args.sizes = (argv[++i] ?? '')
          .split(',')
          .filter(Boolean)
          .map((s) => count('--sizes', s.replace(/_/g, ''), 1_000_000));
        if (args.sizes.length === 0 || args.sizes.some((s) => s < 1))
          throw new Error(`--sizes needs a comma-separated list of employee counts\nusage: ${USAGE}`);
        break;
      case '--orders':
        args.orders = count(flag, argv[++i], 100_000);
        break;
      case '--orders-employees':
        args.ordersEmployees = count(flag, argv[++i], 1_000_000);
        break;
      case '--rate-limited-seconds':
        // Bounded: the rate-limited scenario is about a steady state, not a soak test.
        args.rateLimitedSeconds = count(flag, argv[++i], 180);
        break;
      case '--latency': {
        const latency = { lucca: 0, elevo: 0, aequivalent: 0 };
        for (const part of (argv[++i] ?? '').split(',').filter(Boolean)) {
          const [system, ms] = part.split('=');
          if (system !== 'lucca' && system !== 'elevo' && system !== 'aequivalent')
            throw new Error(`--latency takes lucca=MS,elevo=MS,aequivalent=MS\nusage: ${USAGE}`);
          latency[system] = count('--latency', ms, 10_000);
        }
        args.latency = latency;
        break;
      }
      case '--no-latency':
        args.latency = undefined;
        break;
      case '--tenants':
        args.tenants = count(flag, argv[++i], 1_000);
        break;
      case '--tenant-employees':
        args.tenantEmployees = count(flag, argv[++i], 100_000);
        break;
      case '--repeat':
        args.repeat = count(flag, argv[++i], 20);
        if (args.repeat < 1) throw new Error(`--repeat needs at least 1 round\nusage: ${USAGE}`);
        break;
      case '--runtime': {
        const runtime = argv[++i];
        if (runtime !== 'image' && runtime !== 'current') throw new Error(`--runtime takes image or current\nusage: ${USAGE}`);
        args.runtime = runtime;
        break;
      }
      case '--no-write':
        args.write = false;
        break;
      default:
        throw new Error(`unknown option ${flag}\nusage: ${USAGE}`);
    }
  }
  if (args.orders > args.ordersEmployees) throw new Error('--orders cannot exceed --orders-employees');
  args.sizes = [...new Set(args.sizes)].sort((a, b) => a - b);
  return args;
}

/** The size the rate-limited scenario re-syncs: 10,000 when measured, else the largest size ≤ 10,000. */
export function rateLimitedSize(sizes: number[]): number | undefined {
  if (sizes.includes(10_000)) return 10_000;
  return [...sizes].filter((s) => s <= 10_000).pop();
}

/** Sizes the latency mode measures: the default ones (≤ 10,000); 100,000 at 80 ms would take an hour per runner. */
export function latencySizes(sizes: number[]): number[] {
  return sizes.filter((s) => s <= 10_000);
}
