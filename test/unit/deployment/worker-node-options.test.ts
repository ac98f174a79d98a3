import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WORKER_NODE_OPTIONS } from '../../../src/runtime/worker-heap-policy';

const root = resolve(__dirname, '../../..');

describe('the Node.js options a worker starts with', () => {
  it("are the image's NODE_OPTIONS, so production runs the worker the bench measured", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const set = [...dockerfile.matchAll(/^ENV NODE_OPTIONS=(.+)$/gm)].map((m) => m[1]!.replace(/^"|"$/g, '').split(/\s+/));
    expect(set).toHaveLength(1);
    for (const option of WORKER_NODE_OPTIONS.split(/\s+/)) expect(set[0]).toContain(option);
  });

  it('are options Node.js accepts in NODE_OPTIONS', () => {
    const { status, stderr } = spawnSync(process.execPath, ['-e', '0'], {
      env: { ...process.env, NODE_OPTIONS: WORKER_NODE_OPTIONS },
      encoding: 'utf8',
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
