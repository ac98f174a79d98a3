export * from './aequivalent-sandbox';
export * from './dossier-lifecycle';
export * from './webhook-dispatcher';
export * from './sandbox-accounts-from-config';
