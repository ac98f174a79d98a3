export { ElevoSandbox, type ElevoSandboxOptions } from './elevo-sandbox';
export { ElevoTenantStore, ElevoApiError, type ElevoTenantStats, type ElevoWriteKind } from './elevo-tenant-store';
export { readSandboxElevoTenants, SANDBOX_SECRETS_DIR } from './sandbox-elevo-tenants';
