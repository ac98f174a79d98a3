import { buildRuntime } from '../runtime/connectors-runtime';
import { startCodecServer } from './codec-server';

/** `npm run codec-server`: the codec server alone, for a deployed Temporal UI (config `encryption.codecServer`). */
async function main(): Promise<void> {
  const runtime = buildRuntime();
  const settings = runtime.loaded.config.encryption.codecServer;
  if (!settings) throw new Error('the config has no encryption.codecServer section');
  const { tenants } = runtime;
  const server = await startCodecServer({
    codec: runtime.codec,
    token: tenants.secret(settings.token),
    allowedOrigin: settings.allowedOrigin,
    port: settings.port,
    host: process.env.LUCCA_CONNECTORS_CODEC_HOST ?? '127.0.0.1',
    log: (l) => console.log(JSON.stringify(l)),
  });
  console.log(`[codec-server] listening on ${server.url}, CORS origin ${settings.allowedOrigin}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`[codec-server] ${(err as Error).message}`);
  process.exit(1);
});
