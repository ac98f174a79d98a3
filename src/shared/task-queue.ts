/** Default task queue; the config's `temporal.taskQueue` overrides it. */
export const DEFAULT_TASK_QUEUE = 'lucca-connectors';
