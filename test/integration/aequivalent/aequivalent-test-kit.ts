import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { resolveSecret } from '../../../src/config/secret-reference';
import type { DossierRequest } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';
import { AequivalentClient } from '../../../src/connectors/aequivalent-screening/aequivalent/client';
import { AequivalentSandbox, type AequivalentSandboxOptions } from '../../../dev/simulators/aequivalent/aequivalent-sandbox';

const CONFIG_DIR = resolve(__dirname, '../../../config');

/** The sandbox account secrets, read from the same files the sandbox config references. */
export function acmeSecrets(): { apiKey: string; webhookSecret: string } {
  return {
    apiKey: resolveSecret('file:sandbox-secrets/acme-aequivalent.key', CONFIG_DIR),
    webhookSecret: resolveSecret('file:sandbox-secrets/acme-aequivalent-webhook.secret', CONFIG_DIR),
  };
}

export async function startAcmeSandbox(options: AequivalentSandboxOptions = {}, webhookUrl?: string): Promise<AequivalentSandbox> {
  const sandbox = await AequivalentSandbox.start(options);
  sandbox.addTenant('acme', { ...acmeSecrets(), webhookUrl });
  return sandbox;
}

export function clientFor(sandbox: AequivalentSandbox, apiKey = acmeSecrets().apiKey): AequivalentClient {
  return new AequivalentClient({
    tenantId: 'acme',
    baseUrl: sandbox.baseUrlFor('acme'),
    apiKey,
    retry: { maxAttempts: 4, initialDelayMs: 10, maxDelayMs: 200 },
  });
}

export function dossierRequest(externalReference: string, over: Partial<DossierRequest> = {}): DossierRequest {
  return {
    externalReference,
    package: 'Standard',
    reasonCategory: '(potentielle) Employé·e',
    reason: 'Offre signée',
    costCenter: 'FIN-PARIS',
    candidate: {
      civility: 'ms',
      firstName: 'Camille',
      lastName: 'Moreau',
      language: 'fr-FR',
      email: 'camille.moreau@acme.example',
      professionalPhone: null,
      personalPhone: '+33 6 11 22 33 44',
      birthDate: '1989-12-22',
      contractStart: '2024-09-01',
      jobTitle: 'Contrôleuse de gestion',
    },
    clientUser: { luccaId: 17 },
    ...over,
  };
}

/** A generated file of `size` bytes produced chunk by chunk, and its sha256 (computed as it is produced). */
export function generatedFile(size: number, seed = 7): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let produced = 0;
  let state = seed >>> 0;
  const stream = new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const chunk = Buffer.alloc(Math.min(64 * 1024, size - produced));
      for (let i = 0; i < chunk.length; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        chunk[i] = state >>> 24;
      }
      produced += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.copy().digest('hex') };
}
