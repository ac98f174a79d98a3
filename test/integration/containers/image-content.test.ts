import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildProductImage, DEBIAN_IMAGE, describeWithContainerEngine, docker, PRODUCT_IMAGE, runAsync } from '../../support/containers';

const ROOT = resolve(__dirname, '../../..');
const SANDBOX_SECRETS = join(ROOT, 'config/sandbox-secrets');

/** Every secret value the working tree holds: the sandbox's, and a canary where `tenants add` once wrote. */
function secretValues(canary: string): string[] {
  // grep -F takes one pattern per line: a PEM key's body lines, not its armour (public text).
  const lines = readdirSync(SANDBOX_SECRETS).flatMap((f) => readFileSync(join(SANDBOX_SECRETS, f), 'utf8').split('\n'));
  return [...lines, canary].map((l) => l.trim()).filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

/** Issue 22: the image holds the product only; no config, key or tenant secret in it or in what the daemon receives. */
describeWithContainerEngine('the image and its build context hold the product only', () => {
  const canaryDir = join(ROOT, 'config/secrets');
  const canary = `canary-${randomBytes(16).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'lc-context-'));
  const contextImage = `lucca-connectors:context-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    // A tenant secret where `tenants add` wrote them before (config/secrets/ in the clone).
    mkdirSync(canaryDir, { recursive: true });
    writeFileSync(join(canaryDir, 'canary-lucca-key'), canary);
    await buildProductImage();
  }, 3_600_000);

  afterAll(() => {
    rmSync(join(canaryDir, 'canary-lucca-key'), { force: true });
    rmSync(scratch, { recursive: true, force: true });
    docker(['image', 'rm', '-f', contextImage]);
  });

  it('the build context (what `docker build .` sends) has no config, no key file and no secret value', async () => {
    // Everything the daemon receives from the repo, copied into an image as is, then listed and searched.
    const dockerfile = join(scratch, 'Dockerfile.context');
    writeFileSync(dockerfile, `FROM ${DEBIAN_IMAGE}\nCOPY . /context\n`);
    const build = await runAsync('docker', ['build', '-q', '-f', dockerfile, '-t', contextImage, ROOT], 1_800_000);
    expect(build.code).toBe(0);
    const files = docker(['run', '--rm', contextImage, 'find', '/context', '-type', 'f'])
      .trim()
      .split('\n')
      .map((f) => f.replace('/context/', ''));
    expect(files).toContain('package.json');
    expect(files.some((f) => f.startsWith('src/'))).toBe(true);
    expect(files.filter((f) => /^config\/|(^|\/)secrets\/|\.(key|pem|token|secret)$|(^|\/)\.env/.test(f))).toEqual([]);
    const found = docker(['run', '--rm', '-i', contextImage, 'sh', '-c', 'grep -rlF -f - /context || true'], {
      input: secretValues(canary).join('\n') + '\n',
    });
    expect(found.trim()).toBe('');
  }, 1_800_000);

  it('the product image has no config directory and no secret value anywhere a process reads', () => {
    expect(docker(['run', '--rm', '--entrypoint', 'sh', PRODUCT_IMAGE, '-c', 'ls /app']).trim().split('\n').sort()).toEqual([
      'bin',
      'dist',
      'migrations',
      'node_modules',
      'package-lock.json',
      'package.json',
    ]);
    const found = docker(
      [
        'run',
        '--rm',
        '-i',
        '--entrypoint',
        'sh',
        PRODUCT_IMAGE,
        '-c',
        'grep -rlF -f - /app /home /root /etc /data /tmp /usr/local/share 2>/dev/null || true',
      ],
      { input: secretValues(canary).join('\n') + '\n' },
    );
    expect(found.trim()).toBe('');
  });

  it('the product image holds the product only: no simulator, no local system, no dev tree (issue 26)', () => {
    const dist = docker(['run', '--rm', '--entrypoint', 'sh', PRODUCT_IMAGE, '-c', 'ls /app/dist']).trim().split('\n');
    expect(dist).toEqual(expect.arrayContaining(['worker.js', 'client.js', 'connectors', 'workflow-bundle.js']));
    expect(dist.filter((name) => ['sandbox', 'local', 'dev', 'simulators'].includes(name))).toEqual([]);
    const simulatorFiles = docker([
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      PRODUCT_IMAGE,
      '-c',
      "find /app -name '*sandbox*.js' -not -path '*/node_modules/*'",
    ]);
    expect(simulatorFiles.trim()).toBe('');
  });

  it.each([
    ['worker', []],
    ['codec server', ['node', 'dist/codec/start-codec-server.js']],
    ['webhook receiver', ['node', 'dist/webhooks/start-webhook-receiver.js']],
  ])(
    'a %s container started without a config stops with one line naming LUCCA_CONNECTORS_CONFIG',
    async (_name, command) => {
      const run = await runAsync('docker', ['run', '--rm', PRODUCT_IMAGE, ...command], 180_000);
      expect(run.code).toBe(1);
      const lines = run.output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/LUCCA_CONNECTORS_CONFIG is not set: point it at this deployment's config file/);
    },
    180_000,
  );
});
