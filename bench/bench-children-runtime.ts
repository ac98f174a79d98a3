import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..');
/** Where the bench compiles the worker and the plain script (git-ignored, rebuilt at every run). */
export const BENCH_BUILD_DIR = join(ROOT, '.bench-build');

/** How the worker and the plain script are started: which Node.js, and their compiled entry points. */
export interface ChildRuntime {
  /** The Node.js binary both runners start with. */
  node: string;
  /** `current`: the Node.js running the bench; `image`: the production image's (Dockerfile). */
  kind: 'current' | 'image';
  version: string;
  /** The compiled entry point of a bench script (`bench-worker-process.ts` → …/bench/bench-worker-process.js). */
  entry(script: string): string;
}

/**
 * Compiles src/ and bench/ with tsc, as `npm run build` does for the image: production starts
 * `node dist/worker.js`, not tsx, and tsx's loader and source maps cost the worker measurable CPU
 * and memory (80 MiB at 100,000 employees). Then picks the Node.js both runners use.
 */
export async function prepareChildRuntime(kind: ChildRuntime['kind']): Promise<ChildRuntime> {
  rmSync(BENCH_BUILD_DIR, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(__dirname, 'tsconfig.children.json')],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error(`compiling the bench's child processes failed (tsc exit ${tsc.status})`);
  const node = kind === 'current' ? process.execPath : await imageNode();
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { node, kind, version, entry: (script) => join(BENCH_BUILD_DIR, 'bench', script.replace(/\.ts$/, '.js')) };
}

/** For the results' environment line. */
export function describeChildRuntime(runtime: ChildRuntime): string {
  return `${runtime.kind === 'image' ? "the production image's" : 'this'} Node.js ${runtime.version}, compiled with tsc and started with plain \`node\` as the image starts the worker`;
}

/** The image's Node.js, installed from the npm registry by the same script CI's second pass uses. */
async function imageNode(): Promise<string> {
  const { ensureNodeLts } = (await import(pathToFileURL(join(ROOT, 'scripts', 'ensure-node-lts.mjs')).href)) as {
    ensureNodeLts: () => string | undefined;
  };
  const bin = ensureNodeLts();
  if (!bin) throw new Error("the production image's Node.js is not available here: run the bench with --runtime current");
  return join(bin, 'node');
}
