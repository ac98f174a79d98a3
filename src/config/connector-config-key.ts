/** Key of a connector's section in a tenant's config entry (`elevo`, `aequivalent`): each connector brings its own schema. */
export type ConnectorConfigKey = string;
