import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AesGcmPayloadCodec } from '../../../src/codec/aes-gcm-payload-codec';
import { createFilesystemArtifactStore } from '../../../src/storage/create-artifact-store';
import { startRetentionSweeper } from '../../../src/storage/retention-sweeper';

/** The worker's sweep: artifacts older than the retention go at start-up, newer ones and last-success stay. */
describe('retention sweeper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-retention-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('purges at start what is older than retentionDays, relative to its clock, and reports the count', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const cipher = new AesGcmPayloadCodec([{ id: 'k', key: Buffer.alloc(32, 1) }]).artifactCipher;
    const store = createFilesystemArtifactStore(dir, cipher, () => clock);
    await store.putJson('elevo-user-sync/acme/wf/run-old/report', { lines: [] });
    await store.putJson('elevo-user-sync/acme/wf/run-old/batches/000000', { actions: [] });
    await store.putJson('elevo-user-sync/acme/last-success', { sourceCount: 3 });
    clock = new Date('2026-01-25T00:00:00Z');
    await store.putJson('elevo-user-sync/acme/wf/run-recent/report', { lines: [] });

    clock = new Date('2026-02-05T00:00:00Z'); // run-old is 35 days old, run-recent 11
    const swept: number[] = [];
    const sweeper = startRetentionSweeper({
      store,
      retentionDays: 30,
      now: () => clock,
      onSweep: (n) => swept.push(n),
      onError: (err) => {
        throw err;
      },
    });
    try {
      await expect(sweeper.sweepNow()).resolves.toBe(2); // joins the start-up sweep already under way
      expect(swept).toEqual([2]);
      await expect(store.list('elevo-user-sync/acme')).resolves.toEqual([
        'elevo-user-sync/acme/last-success',
        'elevo-user-sync/acme/wf/run-recent/report',
      ]);
    } finally {
      sweeper.stop();
    }
  });
});
