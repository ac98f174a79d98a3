import type { TenantCheckReport } from './check-finding';

/** Where the last check of each tenant is kept: the shared artifact store (encrypted), read by `tenants`. */
export interface JsonStore {
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T | undefined>;
}

const keyOf = (tenantId: string) => `tenant-checks/${tenantId}/latest`;

export const saveTenantCheck = (store: JsonStore, report: TenantCheckReport): Promise<void> =>
  store.putJson(keyOf(report.tenantId), report);

export const latestTenantCheck = (store: JsonStore, tenantId: string): Promise<TenantCheckReport | undefined> =>
  store.getJson<TenantCheckReport>(keyOf(tenantId));

/** One line: "2026-11-30T08:00:00Z ok" / "… 2 blocking, 1 warning". */
export function summarizeCheck(report: TenantCheckReport | undefined): string {
  if (!report) return 'never checked';
  const all = [...report.lucca, ...report.connectors.flatMap((c) => c.findings)];
  const blocking = all.filter((f) => f.severity === 'blocking').length;
  const warnings = all.filter((f) => f.severity === 'warning').length;
  const verdict =
    blocking + warnings === 0
      ? 'ok'
      : [blocking && `${blocking} blocking`, warnings && `${warnings} warning(s)`].filter(Boolean).join(', ');
  return `${report.checkedAt.slice(0, 16).replace('T', ' ')}Z ${verdict}`;
}
