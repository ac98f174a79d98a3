import type { z } from 'zod';
import { stringify } from 'yaml';
import type { baseTenantSchema } from '../../src/config/config-schema';
import type { elevoConnectorSchema } from '../../src/connectors/elevo-user-sync/config-section';
import type { aequivalentConnectorSchema } from '../../src/connectors/aequivalent-screening/config-section';

/** A tenant entry as the config file spells it (defaults may be left out), with the built-in connectors' sections. */
export type TenantInput = z.input<typeof baseTenantSchema> & {
  elevo?: z.input<typeof elevoConnectorSchema>;
  aequivalent?: z.input<typeof aequivalentConnectorSchema>;
};

/** A tenant's connector sections as the config file spells them (defaults may be left out). */
export type TenantSections = Partial<Pick<TenantInput, 'elevo' | 'aequivalent' | 'notifications' | 'freshness'>>;

/**
 * Renders sections of one tenant entry as YAML indented for the harness's tenant list (4 spaces),
 * so tests write settings as typed objects instead of hand-indented lines.
 */
export function tenantSectionsYaml(sections: TenantSections & Record<string, unknown>): string {
  if (Object.keys(sections).length === 0) return ''; // stringify would write `{}`, not a key of the entry
  return stringify(sections, { lineWidth: 0, aliasDuplicateObjects: false })
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
