import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Headless Chromium from Debian's `chromium` package (driven by playwright-core, which downloads
 * nothing). Installed by the test itself when absent: `apt-get install -y chromium` (root, Debian
 * mirrors only). `CHROMIUM_PATH` points at another build.
 */
export function ensureChromium(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    // The package lists may be missing on a fresh machine.
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const installed = CANDIDATES.find((p) => existsSync(p));
  if (!installed) throw new Error('Chromium is not installed and `apt-get install -y chromium` did not provide it (set CHROMIUM_PATH)');
  return installed;
}
