import { budgetedPollSeconds, frequentIntakeRunning, intakePassRequests } from '../../../src/domain/freshness/idle-request-budget';

const base = { pollSeconds: 60, idleRequestsPerHour: 60, intakeEveryMinutes: 5, otherRequestsPerHour: 0 };
/** Requests an idle tenant costs in one hour at a poll interval, the intake counted. */
const hourly = (pollSeconds: number, perPass: number, other = 0) =>
  Math.ceil(3600 / pollSeconds) + (perPass > 0 ? 12 * perPass : 0) + other;

describe('idle tenant budget: polls give way to the frequent intake', () => {
  it('outside working hours (no intake) the configured poll stays', () => {
    expect(budgetedPollSeconds({ ...base, intakeRequestsPerPass: 0 })).toBe(60);
    expect(budgetedPollSeconds({ ...base, pollSeconds: 1, intakeRequestsPerPass: 0, otherRequestsPerHour: 1 })).toBe(1);
  });

  it.each([100, 1000, 2500, 3000])('with the intake over %i employees the total stays within 60 an hour', (employees) => {
    const perPass = intakePassRequests(employees);
    const poll = budgetedPollSeconds({ ...base, intakeRequestsPerPass: perPass });
    expect(poll).toBeGreaterThan(60);
    expect(hourly(poll, perPass)).toBeLessThanOrEqual(60);
  });

  it('the sweep of a tenant with webhooks gives way the same, counting its hourly cursor refresh', () => {
    const perPass = intakePassRequests(1000);
    const sweep = budgetedPollSeconds({ ...base, pollSeconds: 120, intakeRequestsPerPass: perPass, otherRequestsPerHour: 1 });
    expect(hourly(sweep, perPass, 1)).toBeLessThanOrEqual(60);
  });

  it('when the intake alone exceeds the budget the poll slows to 5 minutes, no further (changes must still arrive)', () => {
    expect(budgetedPollSeconds({ ...base, intakeRequestsPerPass: intakePassRequests(10_000) })).toBe(300);
  });

  it('knows the working hours in the tenant time zone, slowing down ten minutes before the first pass', () => {
    const hours = { from: 8, to: 19 };
    // Monday 2026-12-07, Paris = UTC+1.
    expect(frequentIntakeRunning(new Date('2026-12-07T09:00:00Z'), 'Europe/Paris', hours, 10)).toBe(true);
    expect(frequentIntakeRunning(new Date('2026-12-07T06:45:00Z'), 'Europe/Paris', hours, 10)).toBe(false);
    expect(frequentIntakeRunning(new Date('2026-12-07T06:52:00Z'), 'Europe/Paris', hours, 10)).toBe(true);
    expect(frequentIntakeRunning(new Date('2026-12-07T18:00:00Z'), 'Europe/Paris', hours, 10)).toBe(false);
    // Saturday.
    expect(frequentIntakeRunning(new Date('2026-12-05T10:00:00Z'), 'Europe/Paris', hours, 10)).toBe(false);
  });
});
