export * from './seeded-random';
export * from './fault-injector';
export * from './http-server-kit';
export * from './sliding-window-limiter';
export * from './tiny-pdf';
