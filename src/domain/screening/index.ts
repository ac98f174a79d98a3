export * from './candidate-record';
export * from './screening-section';
export * from './status-label';
export * from './dossier-outcome';
export * from './validate-screening-order';
