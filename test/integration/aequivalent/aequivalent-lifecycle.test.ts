import { request } from 'undici';
import { SandboxTransitionError, type AequivalentSandbox } from '../../../dev/simulators/aequivalent/aequivalent-sandbox';
import { clientFor, dossierRequest, startAcmeSandbox } from './aequivalent-test-kit';
import { waitFor } from '../../support/wait-for';

describe('dossier lifecycle, manual mode', () => {
  let sandbox: AequivalentSandbox;
  beforeAll(async () => {
    sandbox = await startAcmeSandbox({ lifecycle: { mode: 'manual' } });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('follows the happy path step by step, with a result at the end', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:manual:1'), 'm1');
    sandbox.advance('acme', dossier.id, 'candidate_invited');
    sandbox.advance('acme', dossier.id, 'consent_given');
    sandbox.advance('acme', dossier.id, 'in_progress');
    sandbox.advance('acme', dossier.id, 'report_available', 'attention_points');
    const final = await client.getDossier(dossier.id);
    expect(final).toMatchObject({ status: 'report_available', result: 'attention_points' });
    expect(final.statusHistory.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
  });

  it('refuses transitions out of order, and any move out of a final state', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:manual:2'), 'm2');
    expect(() => sandbox.advance('acme', dossier.id, 'in_progress')).toThrow(SandboxTransitionError);
    sandbox.advance('acme', dossier.id, 'candidate_invited');
    sandbox.advance('acme', dossier.id, 'consent_refused');
    expect(() => sandbox.advance('acme', dossier.id, 'consent_given')).toThrow(SandboxTransitionError);
    expect(() => sandbox.advance('acme', dossier.id, 'cancelled')).toThrow(SandboxTransitionError);
  });

  it('requires a result exactly for report_available', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:manual:3'), 'm3');
    expect(() => sandbox.advance('acme', dossier.id, 'candidate_invited', 'compliant')).toThrow();
    for (const s of ['candidate_invited', 'consent_given', 'in_progress'] as const) sandbox.advance('acme', dossier.id, s);
    expect(() => sandbox.advance('acme', dossier.id, 'report_available')).toThrow();
  });

  it('offers the same command over the admin HTTP endpoints (409 out of order)', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:manual:4'), 'm4');
    const advance = (status: string) =>
      request(`${sandbox.url}/_sandbox/acme/dossiers/${dossier.id}/advance`, {
        method: 'POST',
        body: JSON.stringify({ status }),
        headers: { 'content-type': 'application/json' },
      });
    const bad = await advance('consent_given');
    expect(bad.statusCode).toBe(409);
    expect(await bad.body.json()).toMatchObject({ error: { code: 'invalid_transition' } });
    const ok = await advance('candidate_invited');
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toMatchObject({ id: dossier.id, status: 'candidate_invited' });

    const faults = await request(`${sandbox.url}/_sandbox/faults`, {
      method: 'PUT',
      body: JSON.stringify({ script: [{ kind: 'error', status: 503 }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(faults.statusCode).toBe(200);
    await faults.body.dump();
    const stats = await request(`${sandbox.url}/_sandbox/acme/stats`);
    expect(await stats.body.json()).toMatchObject({ dossiersCreated: 4 });
    sandbox.setFaults({ reset: true });
  });
});

describe('dossier lifecycle, expiry', () => {
  let sandbox: AequivalentSandbox;
  beforeAll(async () => {
    sandbox = await startAcmeSandbox({ lifecycle: { mode: 'manual', expireAfterMs: 150 } });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('expires a dossier not finished in time, and then refuses any move', async () => {
    const client = clientFor(sandbox);
    const { dossier } = await client.createDossier(dossierRequest('acme:expiry:1'), 'e1');
    expect(Date.parse(dossier.expiresAt) - Date.parse(dossier.createdAt)).toBe(150);
    const expired = await waitFor('the dossier to expire', async () => {
      const d = await client.getDossier(dossier.id);
      return d.status === 'expired' ? d : undefined;
    });
    expect(expired.statusHistory.map((h) => h.status)).toEqual(['created', 'expired']);
    expect(() => sandbox.advance('acme', dossier.id, 'candidate_invited')).toThrow(SandboxTransitionError);
  });
});

describe('dossier lifecycle, auto mode', () => {
  let sandbox: AequivalentSandbox;
  beforeAll(async () => {
    sandbox = await startAcmeSandbox({
      lifecycle: {
        mode: 'auto',
        stepMs: 20,
        expireAfterMs: 3_000,
        // Per-dossier scenario, chosen from the order reference.
        outcome: (d) =>
          d.externalReference.endsWith(':refuse')
            ? { consent: 'refused' }
            : d.externalReference.endsWith(':stall')
              ? { stopAt: 'candidate_invited' }
              : { consent: 'given', result: 'non_compliant' },
      },
    });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const finalOf = async (id: string) => {
    const client = clientFor(sandbox);
    return waitFor(`dossier ${id} to finish`, async () => {
      const d = await client.getDossier(id);
      return ['report_available', 'consent_refused', 'expired', 'cancelled'].includes(d.status) ? d : undefined;
    });
  };

  it('walks a dossier to its report', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:auto:ok'), 'a1');
    const final = await finalOf(dossier.id);
    expect(final).toMatchObject({ status: 'report_available', result: 'non_compliant' });
    expect(final.statusHistory.map((h) => h.status)).toEqual([
      'created',
      'candidate_invited',
      'consent_given',
      'in_progress',
      'report_available',
    ]);
  });

  it('ends at consent_refused when the candidate refuses', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:auto:refuse'), 'a2');
    expect(await finalOf(dossier.id)).toMatchObject({ status: 'consent_refused', result: null });
  });

  it('expires a dossier stuck waiting for the candidate', async () => {
    const { dossier } = await clientFor(sandbox).createDossier(dossierRequest('acme:auto:stall'), 'a3');
    const final = await finalOf(dossier.id);
    expect(final.statusHistory.map((h) => h.status)).toEqual(['created', 'candidate_invited', 'expired']);
  });
});
