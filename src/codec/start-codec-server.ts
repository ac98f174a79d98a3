import { loadConfig } from '../config/load-config';
import { TenantDirectory } from '../config/tenant-directory';
import { codecAuthFromConfig } from './codec-auth-from-config';
import { startCodecServer } from './codec-server';
import { codecFromConfig } from './data-converter';

/**
 * `npm run codec-server`: the codec server alone, for a deployed Temporal UI (config
 * `encryption.codecServer`). Always authenticated: the unauthenticated local mode exists only
 * inside `npm start`, and no config key or variable turns it on here.
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  const settings = loaded.config.encryption.codecServer;
  if (!settings) throw new Error('the config has no encryption.codecServer section');
  const tenants = new TenantDirectory(loaded);
  const resolveSecret = (ref: string) => tenants.secret(ref);
  const server = await startCodecServer({
    codec: codecFromConfig(loaded.config, resolveSecret),
    auth: codecAuthFromConfig(settings, resolveSecret),
    allowedOrigins: settings.allowedOrigin,
    port: settings.port,
    host: process.env.LUCCA_CONNECTORS_CODEC_HOST ?? '127.0.0.1',
    // The audit trail: who, namespace, action, payload count, status — never payload content.
    audit: (line) => console.log(JSON.stringify({ time: new Date().toISOString(), ...line })),
  });
  const who = [settings.oidc ? `OIDC ${settings.oidc.issuer}` : undefined, settings.tokens.length + (settings.token ? 1 : 0) > 0 ? 'bearer tokens' : undefined].filter(Boolean).join(' + ');
  console.log(`[codec-server] listening on ${server.url}, CORS ${settings.allowedOrigin.join(' ')}, callers: ${who}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[codec-server] ${(err as Error).message}`);
  process.exit(1);
});
