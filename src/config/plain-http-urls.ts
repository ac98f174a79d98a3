/**
 * Credentials travel with every outbound request (Lucca key, Elevo token, Aequivalent key, alert
 * signatures): over plain http:// anyone on the path reads them. Only loopback (the sandbox) and
 * hosts the operator lists in `outbound.plainHttpHosts` (a private network such as Docker Compose's)
 * may be reached without TLS.
 */
interface UrlsOfConfig {
  outbound: { plainHttpHosts: string[] };
  tenants: Array<{ notifications?: { webhook?: { url: string } } }>;
}

export function plainHttpProblems(config: UrlsOfConfig): Array<{ path: Array<string | number>; message: string }> {
  const allowed = new Set(config.outbound.plainHttpHosts.map((h) => h.toLowerCase()));
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  config.tenants.forEach((tenant, index) => {
    const urls: Array<[string[], string | undefined]> = [
      // Lucca's and every connector section's vendor URL.
      ...baseUrlsOf(tenant),
      [['notifications', 'webhook', 'url'], tenant.notifications?.webhook?.url],
    ];
    for (const [path, url] of urls) {
      if (url !== undefined && !mayUsePlainHttp(url, allowed)) {
        problems.push({
          path: ['tenants', index, ...path],
          message: 'must be an https:// URL (plain http:// only for loopback or a host listed in outbound.plainHttpHosts)',
        });
      }
    }
  });
  return problems;
}

function baseUrlsOf(tenant: object): Array<[string[], string]> {
  return Object.entries(tenant).flatMap(([key, section]): Array<[string[], string]> => {
    const url = (section as { baseUrl?: unknown } | null | undefined)?.baseUrl;
    return typeof url === 'string' ? [[[key, 'baseUrl'], url]] : [];
  });
}

function mayUsePlainHttp(url: string, allowed: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true; // the field's own format check reports it
  }
  if (parsed.protocol !== 'http:') return true;
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return isLoopback(host) || allowed.has(host);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
