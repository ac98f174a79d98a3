import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived the last full collection before collecting
 * again: 30 % (V8 otherwise lets it reach four times the live set when collections are cheap, as
 * they are on a machine with gigabytes free). Measured at 100,000 employees: planning keeps ~140 MB
 * alive, so V8 set its next limit near 600 MB and let the apply phase's short-lived garbage fill it
 * — a worker peak of 850 MiB for a live heap of 160 MB. On Node 24 (the image), 50 % and 100 % still
 * peaked at 565 and 551 MiB, 30 % at 476–491. The price is CPU for frequent full collections while
 * planning: about 1 s more worker CPU for a 100,000-employee re-sync than at 100 %.
 */
export const WORKER_HEAP_GROWING_PERCENT = 30;

/**
 * Node.js options a worker process must start with (they cannot change once V8 runs): the
 * Dockerfile sets them in NODE_OPTIONS and the bench starts its worker with them. Node 24's V8
 * grows the young generation to 128 MB (Node 20's: 32 MB); at 100,000 employees that alone took
 * the worker from 476 to 614 MiB. 8 MB semi-spaces (16 MB young generation) made no measurable
 * difference to the worker's CPU time in the bench.
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=8';

let applied = false;

/** Applied once per process, before the worker starts (V8 reads the flag at each collection). */
export function applyWorkerHeapPolicy(growingPercent = WORKER_HEAP_GROWING_PERCENT): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${growingPercent}`);
}
