export { LuccaSandbox, type LuccaSandboxOptions } from './lucca-sandbox';
export type { LuccaTenantStats } from './lucca-http-handler';
export { parseLuccaAuthorization } from './lucca-http-handler';
export {
  LuccaTenantStore,
  DEFAULT_PERMISSIONS,
  isGuid,
  type ApiKey,
  type ApiKeyPermissions,
  type Department,
  type ExtendedEntry,
  type ExtendedScalar,
  type ExtendedValue,
  type ExtensionDefinition,
  type ExtensionFormatKey,
  type Gender,
  type LegalEntity,
  type ListEntry,
  type LuccaTenantStoreOptions,
  type LuccaUser,
  type LuccaUserChange,
  type NewLuccaUser,
  type StoredFile,
  type UserStatus,
} from './lucca-tenant-store';
export {
  generateLuccaTenant,
  screeningStateOf,
  foldForEmail,
  GENERATED_CODES,
  type GenerateLuccaTenantOptions,
  type ScreeningState,
} from './french-tenant-generator';
export { ORDER_STATUSES, SCREENING_PACKAGES, SCREENING_REASON_CATEGORIES, SCREENING_REASONS } from './french-hr-vocabulary';
export { SANDBOX_TENANTS, sandboxApiKeyFor, generateSandboxTenant, addSandboxTenants, type SandboxTenantSpec } from './sandbox-tenants';
export { DEFAULT_PAGING } from './lucca-user-query';
export { applyLuccaPermissionFault, type LuccaPermissionFault } from './lucca-permission-faults';
export { LUCCA_DIALECTS, LUCCA_VARIANTS, DOCUMENTED_DIALECT, type LuccaDialect } from './lucca-dialect';
