import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/** The product image the container tests build from the repo's Dockerfile. */
export const PRODUCT_IMAGE = 'lucca-connectors:container-test';
/** The simulators' image (the Dockerfile's `simulators` target): Compose's `sandbox` profile. */
export const SIMULATORS_IMAGE = 'lucca-connectors-simulators:container-test';
export const DEBIAN_IMAGE = 'lucca-connectors/debian:bookworm-minbase';
/** The classic builder: no BuildKit frontend image to pull from Docker Hub, no buildx plugin needed. */
const DOCKER_ENV = { ...process.env, DOCKER_BUILDKIT: '0' };

export interface EngineStatus {
  ready: boolean;
  /** The daemon's version, or why there is none. */
  detail: string;
}

/**
 * Whether a container engine answers here (CI starts one: deploy/images/start-container-engine.sh).
 * The tests never install or start one themselves.
 */
export function containerEngine(): EngineStatus {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return { ready: false, detail: `no docker client (${(r.error as NodeJS.ErrnoException).code})` };
  if (r.status !== 0)
    return { ready: false, detail: (r.stderr || r.stdout).trim().split('\n').pop() ?? `docker version exited ${r.status}` };
  return { ready: true, detail: `dockerd ${r.stdout.trim()}` };
}

/** `describe` when an engine answers; otherwise the suite is skipped and says why, in one line. */
export function describeWithContainerEngine(name: string, body: () => void): void {
  const engine = containerEngine();
  if (engine.ready) return describe(name, body);
  process.stdout.write(
    `[containers] SKIPPED "${name}": container engine unavailable (${engine.detail}); start one with deploy/images/start-container-engine.sh\n`,
  );
  describe.skip(name, body);
}

/** A docker command to its end; throws with its output when it fails. */
export function docker(args: string[], options: { input?: string; timeoutMs?: number } = {}): string {
  const r = spawnSync('docker', args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: DOCKER_ENV,
    input: options.input,
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(
      `docker ${args.slice(0, 3).join(' ')} … exited ${r.status ?? r.signal}: ${`${r.stdout}\n${r.stderr}`.trim().slice(-3000)}`,
    );
  return r.stdout;
}

/** A command run asynchronously (so simulators in the test process keep answering). */
export function runAsync(
  command: string,
  args: string[],
  timeoutMs: number,
  onOutput?: (soFar: string) => void,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...DOCKER_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer) => {
      output += d.toString();
      onOutput?.(output);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** Seconds per step: the base images (made or found current) and the product image. */
export type BuildTimings = Record<string, number>;

/**
 * The base images (deploy/images/build-base-images.sh, cached per machine), then the product image
 * from the unchanged Dockerfile. Asynchronous: builds take minutes and the test process stays responsive.
 */
export async function buildProductImage(buildId = ''): Promise<BuildTimings> {
  const timings: BuildTimings = {};
  const base = await runAsync('bash', [resolve(ROOT, 'deploy/images/build-base-images.sh')], 3_600_000);
  if (base.code !== 0) throw new Error(`base images failed: ${base.output.slice(-3000)}`);
  for (const m of base.output.matchAll(/^base image (\S+): (\d+) s$/gm)) timings[m[1]!] = Number(m[2]);
  const started = Date.now();
  const build = await runAsync('docker', ['build', '--build-arg', `BUILD_ID=${buildId}`, '-t', PRODUCT_IMAGE, ROOT], 3_600_000);
  if (build.code !== 0) throw new Error(`docker build failed: ${build.output.slice(-3000)}`);
  timings[PRODUCT_IMAGE] = Math.round((Date.now() - started) / 1000);
  return timings;
}

/** The simulators' image, from the same Dockerfile (its `build` stage is cached from the product's). */
export async function buildSimulatorsImage(): Promise<number> {
  const started = Date.now();
  const build = await runAsync('docker', ['build', '--target', 'simulators', '-t', SIMULATORS_IMAGE, ROOT], 3_600_000);
  if (build.code !== 0) throw new Error(`docker build --target simulators failed: ${build.output.slice(-3000)}`);
  return Math.round((Date.now() - started) / 1000);
}

export interface ContainerOptions {
  /** Container name and host name (the Temporal identity of a worker is `<pid>@<hostname>`). */
  name: string;
  command: string[];
  env: Record<string, string>;
  /** Host directory mounted read-only at /app/config: the only mount. */
  configDir: string;
  readyMarker: string | RegExp;
  image?: string;
}

/** `docker run` flags of a connector process: host network (the simulators live in the test process), config read-only. */
export function runFlags(options: Omit<ContainerOptions, 'readyMarker' | 'command'>): string[] {
  return [
    '--network',
    'host',
    '--hostname',
    options.name,
    '--mount',
    `type=bind,source=${options.configDir},target=/app/config,readonly`,
    ...Object.entries(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
  ];
}

/** A long-running connector process in a container of the product image, attached so its output is read as it comes. */
export class ConnectorContainer {
  private child: ChildProcess | undefined;
  output = '';

  constructor(readonly options: ContainerOptions) {}

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 180_000): Promise<void> {
    const { name, command, readyMarker, image } = this.options;
    const child = spawn('docker', ['run', '--rm', '--name', name, ...runFlags(this.options), image ?? PRODUCT_IMAGE, ...command], {
      env: DOCKER_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((ready, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms: ${this.output.slice(-3000)}`)), timeoutMs);
      const onData = (d: Buffer) => {
        this.output += d.toString();
        if (typeof readyMarker === 'string' ? this.output.includes(readyMarker) : readyMarker.test(this.output)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before it was ready: ${this.output.slice(-3000)}`));
      });
    });
  }

  /** What the engine says of the running container: its user, mounts, and PID 1's command line. */
  inspect(): { user: string; mounts: Array<{ Destination: string; RW: boolean; Type: string }>; pid1: string } {
    const [info] = JSON.parse(docker(['inspect', this.name])) as Array<{
      Config: { User: string };
      Mounts: Array<{ Destination: string; RW: boolean; Type: string }>;
    }>;
    const pid1 = docker(['exec', this.name, 'cat', '/proc/1/cmdline']).split('\0').filter(Boolean).join(' ');
    return { user: info!.Config.User, mounts: info!.Mounts, pid1 };
  }

  /** The crash: SIGKILL from the engine to the container's processes, no shutdown of any kind. */
  async kill(): Promise<void> {
    docker(['kill', '-s', 'KILL', this.name]);
    await this.exited();
  }

  /** A graceful stop: SIGTERM through tini to node, then the container is removed (--rm). */
  async stop(): Promise<void> {
    if (!this.running) return;
    spawnSync('docker', ['stop', '-t', '60', this.name], { encoding: 'utf8' });
    await this.exited();
  }

  private async exited(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }
}

/** Removes what a test left behind, whatever state it is in. */
export function removeContainers(names: string[]): void {
  if (names.length > 0) spawnSync('docker', ['rm', '-f', ...names], { encoding: 'utf8' });
}
