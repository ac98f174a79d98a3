import { isAbsolute, resolve } from 'node:path';
import type { ConnectorsConfig, ConnectorSections } from './config-schema';
import { tenantSecretReferences } from './tenant-secret-references';

/**
 * A tenant's credentials are sent to the hosts its entry names; the deployment's own secrets (payload
 * keys, codec-server tokens, the store's URL, Temporal credentials) never leave the process. One
 * edited line pointing a tenant credential at one of them would send it to that host: refused at load.
 */
export function deploymentSecretReuseProblems(config: ConnectorsConfig, sections: ConnectorSections, baseDir: string): string[] {
  const deployment = new Map<string, string>();
  const add = (path: string, reference: string | undefined) =>
    reference !== undefined && deployment.set(canonical(reference, baseDir), path);
  config.encryption.keys.forEach((k, i) => add(`encryption.keys[${i}].key`, k.key));
  config.encryption.codecServer?.tokens.forEach((t, i) => add(`encryption.codecServer.tokens[${i}].token`, t.token));
  add('encryption.codecServer.token', config.encryption.codecServer?.token);
  if (config.storage.kind === 'postgres') add('storage.url', config.storage.url);
  add('temporal.apiKey', config.temporal.apiKey);
  add('temporal.tls.clientKey', config.temporal.tls?.clientKey);

  const problems: string[] = [];
  config.tenants.forEach((tenant, index) => {
    const references = [...tenantSecretReferences(tenant, sections)];
    const smtpPassword = tenant.notifications?.email?.smtp.password;
    if (smtpPassword) references.push(['notifications.email.smtp.password', smtpPassword]);
    for (const [field, reference] of references) {
      const owner = deployment.get(canonical(reference, baseDir));
      if (owner)
        problems.push(
          `tenants[${index}].${field}: refers to the same secret as ${owner}; a deployment secret is never sent to a tenant's hosts`,
        );
    }
  });
  return problems;
}

/** `file:x`, `file:./x` and `file:/abs/x` of one file compare equal; env names as they are. */
function canonical(reference: string, baseDir: string): string {
  if (!reference.startsWith('file:')) return reference;
  const raw = reference.slice(5);
  return `file:${isAbsolute(raw) ? resolve(raw) : resolve(baseDir, raw)}`;
}
