import type { ConnectorsConfig } from '../../src/config/config-schema';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');

/**
 * Where a config names a host other than this machine: the paths (never the values) of its
 * http(s) URLs outside loopback. A sandbox config has none, since it talks to the simulators only.
 */
export function nonLoopbackUrlPaths(config: ConnectorsConfig): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (/^https?:\/\//i.test(value) && !isLoopback(hostOf(value))) found.push(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, path ? `${path}.${key}` : key);
    }
  };
  visit(config, '');
  return found;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
