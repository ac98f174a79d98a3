/** The tenant id a simulator serves at `baseUrl`, when the URL points at it (`<simulator url>/<tenant>`). */
export function sandboxTenantOf(simulatorUrl: string, baseUrl: string): string | undefined {
  const prefix = `${simulatorUrl.replace(/\/+$/, '')}/`;
  return baseUrl.startsWith(prefix) ? baseUrl.slice(prefix.length).split('/')[0] || undefined : undefined;
}
