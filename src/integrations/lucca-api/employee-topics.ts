import type { LuccaEvent } from './lucca-api-schemas';

/**
 * The topics we subscribe to and how each names the employee it concerns. `employee.*` carry the
 * employee as `data` (documented). In the newer API job title and manager live on job-positions and
 * contracts on employments, whose `data.employee.id` we read (ASSUMED shape), so those topics are
 * subscribed too. A change of `e_` data is not documented to raise any event: the daily run and
 * the v3 polling catch it.
 */
export const EMPLOYEE_TOPICS = [
  'employee.created',
  'employee.updated',
  'employee.deleted',
  'employment.created',
  'employment.updated',
  'employment.deleted',
  'job-position.created',
  'job-position.updated',
  'job-position.deleted',
] as const;

/** The Lucca user id an event is about (the newer API's employee id is the v3 user id: ASSUMED), or undefined. */
export function employeeIdOf(event: LuccaEvent): number | undefined {
  const resource = event.topic.split('.')[0];
  const raw =
    resource === 'employee'
      ? event.data?.id
      : resource === 'employment' || resource === 'job-position'
        ? event.data?.employee?.id
        : undefined;
  const id = typeof raw === 'number' ? raw : raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;
  return id !== undefined && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** A topic we subscribe to (its events should name an employee). */
export function isEmployeeTopic(topic: string): boolean {
  return (EMPLOYEE_TOPICS as readonly string[]).includes(topic);
}
