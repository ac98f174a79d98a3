export { LuccaApiSandbox, type LuccaApiSandboxOptions } from './lucca-api-sandbox';
export { LuccaApiTenant, type LuccaApiVariant } from './lucca-api-tenant';
export { API_VERSION, SCOPES } from './lucca-api-routes';
export { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhook-deliverer';
export { deliveryFaultSchema, type DeliveryFault, type DeliveryStats } from './delivery-faults';
export type { LuccaEvent } from './lucca-event-log';
export type { WebhookEndpoint } from './webhook-endpoint-registry';
export { startSandboxLuccaApi, LUCCA_API_SANDBOX_PORT } from './sandbox-lucca-api';
