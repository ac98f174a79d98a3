import { checkboxState } from '../../../src/connectors/elevo-user-sync/domain/lucca-source-mapping';
import { toIsoDate } from '../../../src/integrations/lucca/lucca-user-fields';

/** Forms Lucca's docs do not rule out (docs/external-apis.md L9, L23), read the same as the documented ones. */
describe('Lucca value forms', () => {
  it.each([
    ['2014-09-01T00:00:00', '2014-09-01'], // documented: naive, a Paris day as written
    ['2014-09-01', '2014-09-01'],
    ['2014-08-31T22:00:00Z', '2014-09-01'], // Paris midnight in summer (UTC+2)
    ['2014-12-31T23:00:00Z', '2015-01-01'], // in winter (UTC+1), across a year
    ['2026-03-28T23:00:00Z', '2026-03-29'], // the night clocks go forward
    ['2026-10-24T22:00:00Z', '2026-10-25'], // the night clocks go back
    ['2014-09-01T00:00:00+02:00', '2014-09-01'],
    ['2014-09-01T00:00:00.000+0200', '2014-09-01'],
    ['not a date', null],
  ])('date %s is the Paris day %s', (wire, day) => {
    expect(toIsoDate(wire)).toBe(day);
  });

  it.each([
    [true, 'ticked'],
    ['true', 'ticked'],
    [' TRUE ', 'ticked'],
    [1, 'ticked'],
    ['1', 'ticked'],
    [false, 'unticked'],
    ['false', 'unticked'],
    [0, 'unticked'],
    ['0', 'unticked'],
    [null, 'unticked'],
    ['', 'unticked'],
    ['Oui', 'unreadable'],
    ['yes', 'unreadable'],
    [2, 'unreadable'],
  ] as const)('checkbox value %p is %s', (value, state) => {
    expect(checkboxState({ id: 1, value })).toBe(state);
  });

  it('a box absent from the answer is unticked; ticked anywhere wins over an unreadable occurrence', () => {
    expect(checkboxState(undefined)).toBe('unticked');
    expect(
      checkboxState([
        { id: 1, value: 'Oui' },
        { id: 2, value: true },
      ]),
    ).toBe('ticked');
    expect(
      checkboxState([
        { id: 1, value: 'Oui' },
        { id: 2, value: false },
      ]),
    ).toBe('unreadable');
  });
});
