import { request } from 'undici';
import { z } from 'zod';
import type { TenantDirectory } from '../../../src/config/tenant-directory';
import type { HelloSection } from './config-section';

const recordedSchema = z.object({ recorded: z.number().int().min(0) });

/** Hello's one endpoint: `POST /users` records a batch of users (idempotent by Lucca id). */
export class HelloClient {
  constructor(private readonly options: { baseUrl: string; token: string }) {}

  async record(users: Array<{ luccaId: number; name: string }>): Promise<number> {
    const response = await request(`${this.options.baseUrl}/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ users }),
    });
    if (response.statusCode !== 200) throw new Error(`hello refused the batch (HTTP ${response.statusCode})`);
    return recordedSchema.parse(await response.body.json()).recorded;
  }
}

export function helloClientOf(tenants: TenantDirectory, tenantId: string): HelloClient {
  return tenants.connectorClient(
    tenantId,
    'hello',
    (section: HelloSection) => new HelloClient({ baseUrl: section.baseUrl, token: tenants.secret(section.token) }),
  );
}
