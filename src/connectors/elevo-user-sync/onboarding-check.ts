import type { TenantConfig } from '../../config/config-schema';
import { ElevoClient } from './elevo/client';
import type { ConnectorOnboardingCheck } from '../../onboarding/connector-check';
import { extendedDataFindings, type ExpectedData } from '../../onboarding/extended-data-findings';
import { populationFindings } from '../../onboarding/population-findings';
import { targetAccountFinding } from '../../onboarding/target-findings';

const EXTRA_CODE = /^extendedData\.(e_[A-Za-z0-9_-]+)$/i;

function expectedData(tenant: TenantConfig): ExpectedData[] {
  const elevo = tenant.elevo!;
  const exclusion: ExpectedData = {
    code: elevo.exclusion.fieldCode,
    name: 'Ne pas synchroniser avec Elevo',
    section: 'Elevo',
    formatKey: 'boolean',
    // Defined but hidden or mistyped means employees the customer excluded would be synced.
    required: true,
    readOnly: true,
    impact: 'employees whose box "Ne pas synchroniser avec Elevo" is ticked would still be synced',
  };
  const extras = Object.entries(elevo.extraFields).flatMap(([elevoField, path]) => {
    const code = EXTRA_CODE.exec(path)?.[1];
    return code
      ? [
          {
            code,
            name: elevoField,
            label: `Elevo field "${elevoField}"`,
            formatKey: 'text' as const,
            required: false,
            readOnly: true,
            impact: `the Elevo field "${elevoField}" stays empty`,
          },
        ]
      : [];
  });
  return [exclusion, ...extras];
}

/** Elevo user sync: directory read access, former/future employees, the exclusion checkbox, extra fields, the Elevo token. */
export const elevoUserSyncCheck: ConnectorOnboardingCheck = {
  connector: 'elevo-user-sync',
  enabled: (tenant) => tenant.elevo?.enabled === true,
  luccaNeeds: (tenant) => ({
    codes: expectedData(tenant).map((d) => d.code),
    formerEmployees: true,
    futureEmployees: true,
    sampleCodes: [],
  }),
  async luccaFindings(ctx) {
    const elevo = ctx.tenant.elevo!;
    const data = expectedData(ctx.tenant);
    const exclusionDefined = ctx.snapshot.definitions.has(elevo.exclusion.fieldCode.toLowerCase());
    return [
      ...populationFindings(ctx.snapshot, {
        former:
          'employees who leave look deleted (suspended as "gone from Lucca" instead of "contract ended") and the population-drop safety cannot tell a departure from a lost right',
        future: 'new hires are created in Elevo only from their first day',
      }),
      // The exclusion box is optional in the set-up article: absent means "nobody is excluded".
      ...(exclusionDefined
        ? extendedDataFindings(ctx.snapshot, data[0]!)
        : extendedDataFindings(ctx.snapshot, {
            ...data[0]!,
            required: false,
            impact: 'nobody can be excluded from the sync (create it only if some employees must stay out of Elevo)',
          })),
      ...data.slice(1).flatMap((d) => extendedDataFindings(ctx.snapshot, d)),
    ];
  },
  targetFinding(ctx) {
    const elevo = ctx.tenant.elevo!;
    const client = new ElevoClient({
      tenantId: ctx.tenant.id,
      baseUrl: elevo.baseUrl,
      token: ctx.secret(elevo.token),
      perPage: 1,
      retry: { maxAttempts: 1 },
    });
    return targetAccountFinding('Elevo', elevo.baseUrl, () => client.listUsers().next());
  },
};
