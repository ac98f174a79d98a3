/**
 * The webhook deliveries already handed over, remembered while a captured copy could still pass the
 * signature check (its timestamp within the tolerance): a replayed delivery is acknowledged and not
 * handed over again. Shared by every receiver replica when it lives in PostgreSQL
 * (PostgresDeliveryLedger); in memory for a single receiver (filesystem deployments: one machine).
 */
export interface DeliveryLedger {
  /** True the first time within `forSeconds` (the caller hands the event over), false for a replay. Atomic across replicas. */
  claim(tenantId: string, eventId: string, forSeconds: number): Promise<boolean>;
  /** The hand-over failed: the event is not remembered, so Aequivalent's retry goes through. */
  forget(tenantId: string, eventId: string): Promise<void>;
  close(): Promise<void>;
}

/** One process's memory; expired entries are dropped as new ones come. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  private readonly until = new Map<string, number>();

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  async claim(tenantId: string, eventId: string, forSeconds: number): Promise<boolean> {
    const now = this.nowMs();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    const key = JSON.stringify([tenantId, eventId]);
    if (this.until.has(key)) return false;
    this.until.set(key, now + forSeconds * 1000);
    return true;
  }

  async forget(tenantId: string, eventId: string): Promise<void> {
    this.until.delete(JSON.stringify([tenantId, eventId]));
  }

  async close(): Promise<void> {}
}
