import { DEFAULT_SIZES, FULL_SIZES, latencySizes, parseBenchArgs, rateLimitedSize } from '../../../bench/bench-args';
import { physicalLimitMs } from '../../../bench/measure-latency';
import { medianRun, roundsFor, syncTenantIds } from '../../../bench/measure-elevo-sync';
import { payloadSizesIn } from '../../../bench/history-metrics';
import { sustainedRate } from '../../../bench/measure-rate-limited';
import { RESULTS_END, RESULTS_START, spliceResults } from '../../../bench/render-benchmark';

describe('bench arguments', () => {
  it('defaults to 1,000 and 10,000 employees; 100,000 is opt-in', () => {
    expect(parseBenchArgs([]).sizes).toEqual(DEFAULT_SIZES);
    expect(parseBenchArgs(['--full']).sizes).toEqual(FULL_SIZES);
    expect(parseBenchArgs(['--sizes', '100000,1000,1000']).sizes).toEqual([1000, 100000]);
  });

  it('refuses unknown options, bad numbers and an unbounded rate-limited run', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseBenchArgs(['--sizes', 'ten'])).toThrow(/--sizes/);
    expect(() => parseBenchArgs(['--rate-limited-seconds', '600'])).toThrow(/between 0 and 180/);
    expect(() => parseBenchArgs(['--orders', '6000', '--orders-employees', '5000'])).toThrow(/cannot exceed/);
  });

  it('runs the latency mode at SaaS latencies by default, configurable or off, and 100 tenants', () => {
    expect(parseBenchArgs([]).latency).toEqual({ lucca: 150, elevo: 80, aequivalent: 200 });
    expect(parseBenchArgs(['--latency', 'elevo=40']).latency).toEqual({ lucca: 0, elevo: 40, aequivalent: 0 });
    expect(parseBenchArgs(['--no-latency']).latency).toBeUndefined();
    expect(() => parseBenchArgs(['--latency', 'jira=10'])).toThrow(/--latency/);
    expect(parseBenchArgs([]).tenants).toBe(100);
    expect(parseBenchArgs(['--tenants', '0']).tenants).toBe(0);
    expect(latencySizes([1000, 10000, 100000])).toEqual([1000, 10000]);
  });

  it('puts the physical limit of a run at its sequential reads plus its writes spread over the concurrency', () => {
    const run = {
      wallMs: 0,
      luccaRequests: 12,
      luccaByRoute: {},
      lucca429: 0,
      elevoWrites: 9_000,
      elevoRequests: 9_020,
      changes: 9_000,
      failed: 0,
    };
    // 12 × 150 + 20 × 80 + ⌈9000 / 8⌉ × 80
    expect(physicalLimitMs(run, { lucca: 150, elevo: 80, aequivalent: 200 }, 8)).toBe(1_800 + 1_600 + 90_000);
  });

  it('measures each size in 3 rounds by default (100,000 once), each round into fresh Elevo accounts', () => {
    expect(parseBenchArgs([]).repeat).toBe(3);
    expect(parseBenchArgs(['--repeat', '5']).repeat).toBe(5);
    expect(() => parseBenchArgs(['--repeat', '0'])).toThrow(/at least 1/);
    expect(() => parseBenchArgs(['--repeat', '50'])).toThrow(/between 0 and 20/);
    expect([roundsFor(1_000, 3), roundsFor(10_000, 5), roundsFor(100_000, 3)]).toEqual([3, 5, 1]);
    // At SaaS latencies 10,000 takes minutes per round: once; 1,000 (seconds) like the rest.
    expect([roundsFor(1_000, 3, true), roundsFor(10_000, 3, true)]).toEqual([3, 1]);
    expect(syncTenantIds(1_000, 0)).toEqual({ luccaDomain: 'l1000', temporal: 't1000', plain: 'p1000' });
    expect(syncTenantIds(1_000, 2)).toEqual({ luccaDomain: 'l1000', temporal: 't1000r2', plain: 'p1000r2' });
  });

  it("runs the worker and the plain script on the production image's Node.js unless told otherwise", () => {
    expect(parseBenchArgs([]).runtime).toBe('image');
    expect(parseBenchArgs(['--runtime', 'current']).runtime).toBe('current');
    expect(() => parseBenchArgs(['--runtime', 'bun'])).toThrow(/--runtime takes image or current/);
  });

  it('reports the median round, the lower middle one for an even count', () => {
    const runs = [
      { wallMs: 900, id: 'a' },
      { wallMs: 300, id: 'b' },
      { wallMs: 500, id: 'c' },
    ];
    expect(medianRun(runs).id).toBe('c');
    expect(medianRun([...runs, { wallMs: 100, id: 'd' }]).id).toBe('b');
    expect(medianRun([{ wallMs: 7, id: 'only' }]).id).toBe('only');
  });

  it('re-syncs 10,000 in the rate-limited scenario, or the largest smaller size', () => {
    expect(rateLimitedSize([1000, 10000, 100000])).toBe(10000);
    expect(rateLimitedSize([1000, 100000])).toBe(1000);
    expect(rateLimitedSize([100000])).toBeUndefined();
  });
});

describe('sustained request rate', () => {
  it('counts requests per full minute from the start and the busiest 60-s window', () => {
    // 45 requests in the first seconds, then 45 more each minute, in bursts at the top of the minute.
    const samples: Array<[number, number]> = [];
    for (let t = 0; t <= 180; t++) samples.push([t * 1000, 45 * Math.min(3, Math.floor(t / 60) + (t % 60 >= 2 ? 1 : 0))]);
    const { sustainedPerMinute, perMinute, peakWindowRequests } = sustainedRate(samples);
    expect(perMinute).toEqual([45, 45, 45]);
    expect(sustainedPerMinute).toBe(45);
    expect(peakWindowRequests).toBe(90); // a sliding window straddling two bursts
  });

  it('has no sustained rate for runs shorter than a minute', () => {
    expect(
      sustainedRate([
        [0, 0],
        [30_000, 12],
      ]).perMinute,
    ).toEqual([]);
    expect(
      Number.isNaN(
        sustainedRate([
          [0, 0],
          [30_000, 12],
        ]).sustainedPerMinute,
      ),
    ).toBe(true);
  });
});

describe('payload sizes in a history event', () => {
  it('finds every payload, however deep, with data and metadata bytes', () => {
    const payload = (bytes: number) => ({ metadata: { encoding: new Uint8Array(16) }, data: new Uint8Array(bytes) });
    const event = {
      eventId: 7,
      activityTaskCompletedEventAttributes: { result: { payloads: [payload(1000), payload(10)] } },
      header: { fields: { tracing: payload(5) } },
    };
    const sizes = payloadSizesIn(event);
    expect(sizes.map((s) => s.bytes).sort((a, b) => a - b)).toEqual([5 + 24, 10 + 24, 1000 + 24]);
    expect(sizes.every((s) => s.where === 'activityTaskCompletedEventAttributes')).toBe(true);
  });
});

describe('BENCHMARK.md splicing', () => {
  it('replaces only the generated section', () => {
    const doc = `# Benchmark\n\nintro\n\n${RESULTS_START}\nold table\n${RESULTS_END}\n\n## How to read it\n`;
    const next = spliceResults(doc, 'new table');
    expect(next).toContain('intro');
    expect(next).toContain('## How to read it');
    expect(next).toContain(`${RESULTS_START}\nnew table\n${RESULTS_END}`);
    expect(next).not.toContain('old table');
  });

  it('appends the section to a document without one', () => {
    expect(spliceResults('# Benchmark\n', 'table')).toBe(`# Benchmark\n\n${RESULTS_START}\ntable\n${RESULTS_END}\n`);
  });
});
