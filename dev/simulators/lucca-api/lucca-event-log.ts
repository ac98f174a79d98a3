/**
 * Events of one simulated Lucca tenant, in creation order. Ids are increasing numeric strings (the
 * documented examples look like "2455623"); the feed's page tokens are keyset positions, so a page
 * URL read once can be read again later and then also holds the events created since (ASSUMED).
 */
export type DeliveryStatus = 'scheduled' | 'delivered' | 'failed';

export interface LuccaEvent {
  id: string;
  type: 'event';
  url: string;
  topic: string;
  occurredAt: string;
  source: string;
  apiVersion: string;
  data: Record<string, unknown>;
  businessEstablishment: null;
  previousAttributes?: Record<string, unknown>;
}

export interface EventsPage {
  items: LuccaEvent[];
  /** Id after which the next page starts, or undefined at the end. */
  nextAfter?: string;
}

export class LuccaEventLog {
  private readonly events: LuccaEvent[] = [];
  /** Delivery status per event id (the worst over the tenant's endpoints, see `setStatus`). */
  private readonly statuses = new Map<string, DeliveryStatus>();
  private nextId = 2_455_600;

  constructor(private readonly source: string) {}

  append(input: Pick<LuccaEvent, 'topic' | 'occurredAt' | 'data' | 'previousAttributes'>): LuccaEvent {
    const id = String(this.nextId++);
    const event: LuccaEvent = {
      id,
      type: 'event',
      url: `${this.source}/lucca-api/events/${id}`,
      topic: input.topic,
      occurredAt: input.occurredAt,
      source: this.source,
      apiVersion: '2024-11-01',
      data: input.data,
      businessEstablishment: null,
      ...(input.previousAttributes ? { previousAttributes: input.previousAttributes } : {}),
    };
    this.events.push(event);
    this.statuses.set(id, 'scheduled');
    return event;
  }

  get(id: string): LuccaEvent | undefined {
    return this.events.find((e) => e.id === id);
  }

  all(): LuccaEvent[] {
    return [...this.events];
  }

  setStatus(id: string, status: DeliveryStatus): void {
    this.statuses.set(id, status);
  }

  status(id: string): DeliveryStatus | undefined {
    return this.statuses.get(id);
  }

  /** Oldest first, `limit` events after the event `after` (none: from the start), optionally by delivery status. */
  page(after: string | undefined, limit: number, status?: DeliveryStatus): EventsPage {
    const start = after === undefined ? 0 : this.events.findIndex((e) => Number(e.id) > Number(after));
    const candidates = start < 0 ? [] : this.events.slice(start).filter((e) => !status || this.statuses.get(e.id) === status);
    const items = candidates.slice(0, limit);
    const last = items[items.length - 1];
    return { items, ...(candidates.length > limit && last ? { nextAfter: last.id } : {}) };
  }
}
