import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { CandidateSnapshots } from '../../../src/activities/aequivalent-screening/screening-candidate-snapshots';
import type { CanonicalUser } from '../../../src/integrations/lucca/lucca-user-fields';
import { screeningOrderWorkflowId } from '../../../src/connectors/aequivalent-screening/contract';
import { eraseEmployeeArtifacts } from '../../../src/storage/erase-employee-artifacts';
import { FilesystemArtifactBlobs } from '../../../src/storage/filesystem-artifact-blobs';
import { SealedArtifactStore } from '../../../src/storage/sealed-artifact-store';

/**
 * Right to erasure, completely and for one person only (docs/threat-model.md): `erase` removes the
 * screening candidate snapshots the intake left for the employee (name, birth date, phones), and the
 * reports it rewrites keep their write time, so the other employees in them are purged on schedule
 * instead of 30 more days after each erasure.
 */
const TENANT = 'acme';
const DAY = 24 * 3600_000;

describe('erase: candidate snapshots covered, other employees’ retention kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-erase-'));
  const codec = new AesGcmPayloadCodec([{ id: 'k', key: randomBytes(32) }]);
  let clock = new Date('2026-11-01T08:00:00Z');
  const store = new SealedArtifactStore(new FilesystemArtifactBlobs(dir), codec.artifactCipher, () => clock);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('removes the employee’s snapshots and lines, and the rewritten report is still purged when it was due', async () => {
    const report = `elevo-user-sync/${TENANT}/wf-1/run-1/report`;
    await store.putJson(report, {
      lines: [
        { luccaId: 41, name: 'Camille Erased' },
        { luccaId: 42, name: 'Dominique Stays' },
      ],
    });
    const snapshots = new CandidateSnapshots(store, () => clock.getTime());
    const candidate = (id: number) =>
      ({ id, firstName: 'Camille', lastName: 'Erased', birthDate: '1991-02-03' }) as unknown as CanonicalUser;
    await snapshots.put(screeningOrderWorkflowId(TENANT, 41, '9001'), candidate(41));
    await snapshots.put(screeningOrderWorkflowId(TENANT, 42, '9002'), candidate(42));
    await snapshots.put(screeningOrderWorkflowId(TENANT, 410, '9003'), candidate(410));

    clock = new Date(clock.getTime() + 25 * DAY); // the erasure comes 25 days later
    const erased = await eraseEmployeeArtifacts(store, TENANT, 41);
    expect(erased).toMatchObject({ candidateSnapshotsRemoved: 1, reportsRewritten: 1, reportLinesRemoved: 1 });
    expect(await store.list(`aequivalent-screening/${TENANT}/candidate-snapshots`)).toEqual([
      `aequivalent-screening/${TENANT}/candidate-snapshots/410-9003`,
      `aequivalent-screening/${TENANT}/candidate-snapshots/42-9002`,
    ]);
    expect(await store.getJson(report)).toEqual({ lines: [{ luccaId: 42, name: 'Dominique Stays' }] });

    // 30-day retention, swept 6 days after the erasure: the report written 31 days ago goes.
    clock = new Date(clock.getTime() + 6 * DAY);
    const purged = await store.purgeWrittenBefore(new Date(clock.getTime() - 30 * DAY));
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await store.getJson(report)).toBeUndefined();
  });
});
