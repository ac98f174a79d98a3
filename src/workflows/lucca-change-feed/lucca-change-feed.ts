import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { ChangeFeedSettings } from '../../activities/lucca-change-feed/change-feed-activities';
import { advanceCursor, sinceOf, type ChangeCursor } from '../../domain/freshness/change-cursor';
import { connectorHealthQuery, type ConnectorHealth } from '../../shared/connector-health';
import { employeesChangedSignal, type ChangeSource } from '../../shared/lucca-change-feed-contract';
import { declareVersioningBehavior } from '../versioning-behavior';
import { ChangeApplier } from './change-applier';
import { ChangeInbox, type CarriedInbox } from './change-inbox';
import { EventsPath, V3_CURSOR_REFRESH_MS, type CarriedEventsPath } from './events-path';
import { FeedHealthTracker, isBusy } from './feed-health';

const { changeFeedSettings } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });
// A poll that keeps failing is reported (health) and tried again at the next tick, not retried for long.
const { pollLuccaChanges, startChangeCursor, sweepLuccaEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '20 seconds', maximumAttempts: 3 },
});

/** Ticks per run before continue-as-new (~10 history events each). */
const TICKS_PER_RUN = 200;
/** The events-feed sweep with v3 polling as the fallback (tenants with `lucca.events`). */
export const EVENTS_SWEEP_PATCH = 'lucca-events-sweep-fallback';
/** While polling stands down, v3 is read since the last read (a catch-up) instead of the cursor jumping to the present. */
export const V3_CATCH_UP_PATCH = 'lucca-events-v3-catch-up';
/** Settings (poll interval, enabled…) are read again this often, so config changes apply without a restart. */
const SETTINGS_EVERY_TICKS = 10;

export interface LuccaChangeFeedInput {
  tenantId: string;
  connector: string;
  /** Carried over continue-as-new. */
  carried?: { cursor?: ChangeCursor; inbox: CarriedInbox; health: ConnectorHealth; events?: CarriedEventsPath };
}

/** What one feed run works with. */
interface Feed {
  tenantId: string;
  settings: ChangeFeedSettings;
  inbox: ChangeInbox;
  health: FeedHealthTracker;
  applier: ChangeApplier;
  cursor?: ChangeCursor;
  events: EventsPath;
}

// Lives for ever (continue-as-new): moves to each release; changes need patched().
declareVersioningBehavior('AUTO_UPGRADE', luccaChangeFeed);

/**
 * One per tenant × connector (`lucca-change-feed/<tenant>/<connector>`): notices the employees that
 * changed in Lucca — by polling `modifiedAt` (one request per poll when nothing changed) and from
 * `employeesChanged` signals — and applies them through an ordinary run of the connector within
 * minutes. Docs: docs/freshness.md.
 */
export async function luccaChangeFeed(input: LuccaChangeFeedInput): Promise<void> {
  const { tenantId, connector } = input;
  const inbox = new ChangeInbox(input.carried?.inbox);
  const health = new FeedHealthTracker(tenantId, connector, input.carried?.health);
  setHandler(employeesChangedSignal, (change) => inbox.accept(change));
  const events = new EventsPath(input.carried?.events, Date.now());
  setHandler(connectorHealthQuery, () => ({
    ...health.health,
    pending: inbox.size,
    signalsDropped: inbox.dropped,
    signalsDuplicated: inbox.duplicates,
    ...(events.state.lastSweepAt !== undefined ? { missedDeliveries: events.state.missedDeliveries ?? 0 } : {}),
  }));
  // No `LuccaTenantId` / `LuccaConnector` search attributes on purpose: those list a tenant's *runs*
  // (`runs`, `tenants`, cancellation of a removed tenant's runs); a feed is found by its id.
  const settings = await changeFeedSettings({ tenantId, connector });
  const applier = new ChangeApplier(tenantId, connector);
  const feed: Feed = { tenantId, settings, inbox, health, applier, cursor: input.carried?.cursor, events };

  for (let tick = 1; tick <= TICKS_PER_RUN && !workflowInfo().continueAsNewSuggested; tick++) {
    if (tick % SETTINGS_EVERY_TICKS === 0) feed.settings = await changeFeedSettings({ tenantId, connector });
    if (feed.settings.active && feed.settings.polls) await detect(feed);
    if (feed.settings.active) await applyPending(feed);
    await health.judge(
      feed.settings.active,
      inbox.size,
      inbox.oldestPending(),
      feed.applier.running ? feed.applier.current!.startedAt : undefined,
    );
    await condition(
      () => (inbox.arrived && !feed.applier.running) || feed.applier.current?.settled === true,
      `${feed.settings.pollSeconds} seconds`,
    );
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof luccaChangeFeed>({
    tenantId,
    connector,
    carried: {
      ...(feed.cursor ? { cursor: feed.cursor } : {}),
      inbox: inbox.carry(),
      health: health.health,
      ...(feed.events.state.lastSweepAt !== undefined ? { events: feed.events.state } : {}),
    },
  });
}

/** v3 polling, or (tenants with `lucca.events`, from this release on) the events path with polling as its fallback. */
async function detect(feed: Feed): Promise<void> {
  const events = feed.settings.events;
  if (!events || !patched(EVENTS_SWEEP_PATCH)) return poll(feed);
  const now = Date.now();
  feed.events.heard(feed.inbox.lastWebhookAt);
  if (feed.events.sweepDue(now, events.sweepSeconds)) await sweep(feed, events);
  const polling = feed.events.pollingNeeded(Date.now(), events.fallbackAfterSeconds);
  feed.health.health.polling = polling ? 'fallback' : 'standing-down';
  if (polling) return poll(feed);
}

/** One sweep of the events feed: what no webhook brought joins the inbox (and the tenant's other feeds). */
async function sweep(feed: Feed, settings: NonNullable<ChangeFeedSettings['events']>): Promise<void> {
  const { fallbackAfterSeconds } = settings;
  const { tenantId, inbox, health, events } = feed;
  const sweptAt = new Date().toISOString();
  try {
    const result = await sweepLuccaEvents(tenantId, events.state.sweepCursor ?? null);
    health.health.sweeps = (health.health.sweeps ?? 0) + 1;
    const { missed, unreadable } = inbox.acceptSwept(result, sweptAt);
    // An event we cannot read the employee of is a change only polling can find: it counts as missed.
    events.swept(Date.now(), result.cursor, missed.length + unreadable, fallbackAfterSeconds);
    if (missed.length + unreadable > 0)
      log.warn('change feed: the events feed had deliveries that never arrived', { tenantId, missed: missed.length, unreadable });
    await forward(
      feed.settings,
      [...new Set(missed.map(([, id]) => id))],
      sweptAt,
      'events-feed',
      missed.map(([id]) => id),
    );
    health.succeeded(inbox.size === 0 && !feed.applier.running ? sweptAt : undefined);
    if (!events.pollingNeeded(Date.now(), fallbackAfterSeconds)) await keepV3Near(feed, settings);
  } catch (err) {
    events.sweepFailed(Date.now());
    if (!isBusy(err)) health.failed(err);
    log.warn('change feed sweep failed', { tenantId });
  }
}

/**
 * While polling stands down, the v3 cursor is kept near Lucca's present so a fallback does not re-read days. From
 * this release on (patched) it gets there by reading v3 since the last read — a catch-up that applies whatever the
 * events feed never showed (N10) — rather than by jumping to the newest stamp.
 */
async function keepV3Near(feed: Feed, settings: NonNullable<ChangeFeedSettings['events']>): Promise<void> {
  const refreshMs = (settings.catchUpSeconds ?? V3_CURSOR_REFRESH_MS / 1000) * 1000;
  if (!feed.events.v3CursorStale(Date.now(), feed.cursor !== undefined, refreshMs)) return;
  if (feed.cursor !== undefined && patched(V3_CATCH_UP_PATCH)) await poll(feed);
  else feed.cursor = await startingCursor(feed.tenantId);
  feed.events.state.v3CursorAt = Date.now();
}

/** One `modifiedAt=since,` read; the changed employees go to the inbox and to the tenant's other feeds. */
async function poll(feed: Feed): Promise<void> {
  const { tenantId, settings, inbox, health } = feed;
  const overlapMs = settings.overlapSeconds * 1000;
  const polledAt = new Date().toISOString();
  try {
    const state = feed.cursor ?? (await startingCursor(tenantId));
    const answer = await pollLuccaChanges({ tenantId, since: sinceOf(state, overlapMs) });
    health.health.polls++;
    health.health.pollRequests += answer.requests;
    const { next, changed } = advanceCursor(state, answer, overlapMs);
    feed.cursor = next;
    inbox.add(changed, polledAt);
    // A capped answer (a burst): its stamps all count as seen, and the next run is a full one.
    if (answer.total > answer.users.length) inbox.putBack([], polledAt, true);
    await forward(settings, changed, polledAt);
    // Fresh up to this poll only when nothing seen so far waits or is being applied.
    health.succeeded(inbox.size === 0 && !feed.applier.running ? polledAt : undefined);
  } catch (err) {
    if (!isBusy(err)) health.failed(err);
    log.warn('change feed poll failed', { tenantId });
  }
}

async function startingCursor(tenantId: string): Promise<ChangeCursor> {
  const { cursor } = await startChangeCursor({ tenantId });
  return { cursor, seen: [], floor: cursor };
}

/** Follows the run in flight; starts the next one for what is pending once it is done. */
async function applyPending(feed: Feed): Promise<void> {
  const { applier, inbox, health } = feed;
  const done = applier.current;
  if (done?.settled) {
    applier.current = undefined;
    if (done.error === undefined) {
      health.applied(done.oldestObservedAt);
      // Everything seen before the run started is applied now.
      health.succeeded(inbox.size === 0 ? new Date(done.startedAt).toISOString() : undefined);
    } else {
      if (!isBusy(done.error)) health.failed(done.error);
      inbox.putBack(done.ids, done.oldestObservedAt ?? new Date().toISOString(), done.full);
    }
  }
  if (applier.running || inbox.size === 0) return;
  const change = inbox.take();
  const putBack = () => inbox.putBack(change.ids, change.oldestObservedAt ?? new Date().toISOString(), change.full);
  try {
    if ((await applier.start(change, feed.settings.burstThreshold)) === 'busy') putBack();
  } catch (err) {
    health.failed(err);
    putBack();
  }
}

/** The tenant's other connectors' feeds get the same changes: one poll (or sweep) serves them all. */
async function forward(
  settings: ChangeFeedSettings,
  ids: number[],
  observedAt: string,
  source: ChangeSource = 'poll',
  eventIds: string[] = [],
): Promise<void> {
  if (ids.length === 0) return;
  for (const workflowId of settings.forwardTo) {
    await getExternalWorkflowHandle(workflowId)
      .signal(employeesChangedSignal, { employeeIds: ids, source, eventIds, observedAt })
      .catch(() => log.warn('change not forwarded: sibling feed not running', { workflowId }));
  }
}
