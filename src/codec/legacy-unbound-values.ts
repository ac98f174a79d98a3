/**
 * Values decoded from old-format payloads (sealed before payloads named their workflow) in a
 * workflow's own context. The payload converter adds them, the workflow interceptor asks: such a value
 * is accepted while replaying history written before the upgrade, refused in a new message.
 * Workflow-safe; weak, so nothing is kept alive.
 */
const legacy = new WeakSet<object>();

export function rememberLegacyUnbound(value: unknown): void {
  if (typeof value === 'object' && value !== null) legacy.add(value);
}

export function isLegacyUnbound(value: unknown): boolean {
  return typeof value === 'object' && value !== null && legacy.has(value);
}
