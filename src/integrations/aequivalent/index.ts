export * from './aequivalent-schemas';
export * from './aequivalent-client';
export * from './webhook-signature';
