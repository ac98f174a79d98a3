import type { LuccaApiClient } from '../../../src/integrations/lucca-api/lucca-api-client';
import type { EventsPage } from '../../../src/integrations/lucca-api/lucca-api-schemas';
import { luccaEventKey } from '../../../src/integrations/lucca-api/event-key';
import { sweepLuccaEventsWith } from '../../../src/integrations/lucca-api/lucca-events-sweep';

/**
 * N4 (docs/external-apis.md): Lucca documents `{source}+{id}` as an event's unique identity, not `id` alone. Two
 * sources numbering their events alike must give two changes, not one change and a "duplicate".
 */
const event = (source: string, id: string, employee: number) => ({
  id,
  source,
  topic: 'employee.updated',
  occurredAt: '2026-12-07T09:00:00Z',
  data: { id: String(employee) },
});

function feedOf(pages: EventsPage[]): LuccaApiClient {
  let served = 0;
  return { eventsPage: async () => pages[Math.min(served++, pages.length - 1)]! } as unknown as LuccaApiClient;
}

describe('Lucca event identity', () => {
  it('keys an event by source and id together', () => {
    expect(luccaEventKey({ id: '7', source: 'https://acme.ilucca.net' })).toBe('https://acme.ilucca.net+7');
    expect(luccaEventKey({ id: '7', source: 'https://acme.ilucca.net/payroll' })).not.toBe(
      luccaEventKey({ id: '7', source: 'https://acme.ilucca.net' }),
    );
    expect(luccaEventKey({ id: '7' })).toBe('7');
  });

  it('sweeps two events that share an id but not a source as two changes', async () => {
    const start = feedOf([{ url: '/lucca-api/events?page=1', items: [] }]);
    const { cursor } = await sweepLuccaEventsWith(start, null);
    const page = { url: '/lucca-api/events?page=1', items: [event('https://a.example', '41', 101), event('https://b.example', '41', 202)] };
    const sweep = await sweepLuccaEventsWith(feedOf([page]), cursor);
    expect(sweep.employeeIds).toEqual([101, 202]);
    expect(new Set(sweep.eventIds).size).toBe(2);
    expect(sweep.employeeEvents).toEqual([
      ['https://a.example+41', 101],
      ['https://b.example+41', 202],
    ]);
  });
});
