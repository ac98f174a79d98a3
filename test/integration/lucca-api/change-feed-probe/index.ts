import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import { employeesChangedSignal, type EmployeesChanged } from '../../../../src/shared/lucca-change-feed-contract';

/** What the probe has received, in order. */
export const receivedChangesQuery = defineQuery<EmployeesChanged[]>('receivedChanges');

/**
 * Test-only stand-in registered under the change feed's workflow type (`luccaChangeFeed`, helper
 * 23a owns the real one): it records the `employeesChanged` signals the receiver sends.
 */
export async function luccaChangeFeed(): Promise<void> {
  const received: EmployeesChanged[] = [];
  setHandler(employeesChangedSignal, (change) => void received.push(change));
  setHandler(receivedChangesQuery, () => received);
  await condition(() => false);
}
