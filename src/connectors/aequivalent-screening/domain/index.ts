export * from './candidate-record';
export * from './screening-section';
export * from './status-label';
export * from './dossier-tracking';
export * from './validate-screening-order';
