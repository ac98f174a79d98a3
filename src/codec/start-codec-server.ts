import { buildRuntime } from '../runtime/connectors-runtime';
import { codecAuthFromConfig } from './codec-auth-from-config';
import { startCodecServer } from './codec-server';

/**
 * `npm run codec-server`: the codec server alone, for a deployed Temporal UI (config
 * `encryption.codecServer`). Always authenticated: the unauthenticated local mode exists only
 * inside `npm start`, and no config key or variable turns it on here.
 */
async function main(): Promise<void> {
  const runtime = buildRuntime();
  const settings = runtime.loaded.config.encryption.codecServer;
  if (!settings) throw new Error('the config has no encryption.codecServer section');
  const { tenants } = runtime;
  const server = await startCodecServer({
    codec: runtime.codec,
    auth: codecAuthFromConfig(settings, (ref) => tenants.secret(ref)),
    allowedOrigins: settings.allowedOrigin,
    port: settings.port,
    host: process.env.LUCCA_CONNECTORS_CODEC_HOST ?? '127.0.0.1',
    // The audit trail: who, namespace, action, payload count, status — never payload content.
    audit: (line) => console.log(JSON.stringify({ time: new Date().toISOString(), ...line })),
  });
  const who = [
    settings.oidc ? `OIDC ${settings.oidc.issuer}` : undefined,
    settings.tokens.length + (settings.token ? 1 : 0) > 0 ? 'bearer tokens' : undefined,
  ]
    .filter(Boolean)
    .join(' + ');
  console.log(`[codec-server] listening on ${server.url}, CORS ${settings.allowedOrigin.join(' ')}, callers: ${who}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[codec-server] ${(err as Error).message}`);
  process.exit(1);
});
