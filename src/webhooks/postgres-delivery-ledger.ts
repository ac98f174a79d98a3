import { Pool } from 'pg';
import type { DeliveryLedger } from './delivery-ledger';

const PURGE_EVERY = 200;

/**
 * The delivery ledger in the PostgreSQL store (table `webhook_deliveries`, migrations/store): every
 * receiver replica sees the others' deliveries. A claim is one INSERT … ON CONFLICT, so two replicas
 * receiving the same delivery at once cannot both hand it over; expiry uses the database's clock.
 */
export class PostgresDeliveryLedger implements DeliveryLedger {
  private readonly pool: Pool;
  private claims = 0;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 4 });
    this.pool.on('error', () => undefined);
  }

  /** Start-up check: the table exists (`lucca-connectors setup` creates it). */
  async check(): Promise<void> {
    await this.pool.query('SELECT 1 FROM webhook_deliveries LIMIT 0');
  }

  async claim(tenantId: string, eventId: string, forSeconds: number): Promise<boolean> {
    if (++this.claims % PURGE_EVERY === 0) await this.pool.query('DELETE FROM webhook_deliveries WHERE expires_at <= now()');
    const { rowCount } = await this.pool.query(
      `INSERT INTO webhook_deliveries (tenant_id, event_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (tenant_id, event_id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE webhook_deliveries.expires_at <= now()`,
      [tenantId, eventId, forSeconds],
    );
    return rowCount === 1;
  }

  async forget(tenantId: string, eventId: string): Promise<void> {
    await this.pool.query('DELETE FROM webhook_deliveries WHERE tenant_id = $1 AND event_id = $2', [tenantId, eventId]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
