import { resolve } from 'node:path';
import type { ActivityDependencies } from '../../../src/activities/activity-dependencies';
import { createChangeFeedActivities } from '../../../src/activities/lucca-change-feed/change-feed-activities';
import { loadConfig } from '../../../src/config/load-config';

/** The feed's settings in and out of the frequent intake's hours (sandbox config, acme: Elevo + Aequivalent, Paris). */
describe('changeFeedSettings: polls give way to the frequent intake', () => {
  const settingsAt = async (iso: string, scanned: number | undefined, tweak: (t: any) => void = () => undefined) => {
    const loaded = loadConfig(resolve(__dirname, '../../../config/sandbox.yaml'));
    const acme = loaded.config.tenants.find((t) => t.id === 'acme')!;
    Object.assign(acme.freshness, { pollSeconds: 60, idleRequestsPerHour: 60 });
    tweak(acme);
    const deps = {
      tenants: { loaded },
      artifacts: { getJson: async () => (scanned === undefined ? undefined : { scanned }) },
      now: () => new Date(iso),
    } as unknown as ActivityDependencies;
    return createChangeFeedActivities(deps).changeFeedSettings({ tenantId: 'acme', connector: 'elevo-user-sync' });
  };

  it('in working hours the poll stretches so polls + intake stay within 60 an hour', async () => {
    // Monday 10:00 in Paris; the last intake pass scanned 1,000 employees: 2 requests a pass, 24 an hour.
    expect((await settingsAt('2026-12-07T09:00:00Z', 1000)).pollSeconds).toBe(100);
    expect((await settingsAt('2026-12-07T09:00:00Z', 3000)).pollSeconds).toBe(300);
  });

  it('outside working hours, on a weekend, or without a frequent intake, the configured poll stays', async () => {
    expect((await settingsAt('2026-12-07T20:00:00Z', 1000)).pollSeconds).toBe(60);
    expect((await settingsAt('2026-12-05T09:00:00Z', 1000)).pollSeconds).toBe(60);
    expect((await settingsAt('2026-12-07T09:00:00Z', 1000, (t) => (t.aequivalent.intakeEveryMinutes = 0))).pollSeconds).toBe(60);
  });

  it('before any intake pass it counts one page', async () => {
    expect((await settingsAt('2026-12-07T09:00:00Z', undefined)).pollSeconds).toBe(100);
  });
});
