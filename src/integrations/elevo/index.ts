export * from './elevo-schemas';
export { ElevoClient, ElevoRequestError, elevoErrorCode, type ElevoClientOptions } from './elevo-client';
export { toTargetUser } from './elevo-target-user';
