import { civilityFromLucca, isFinalStatus, languageFromCultureId, mapDossierStatus } from '../../../src/domain/screening';

describe('languageFromCultureId', () => {
  it.each([
    [1036, 'fr-FR'],
    [1033, 'en-US'],
    [1031, 'de-DE'],
    [1034, 'es-ES'],
    [1040, 'it-IT'],
  ])('%i -> %s', (lcid, tag) => expect(languageFromCultureId(lcid)).toBe(tag));

  it('returns null for other or missing cultures', () => {
    expect(languageFromCultureId(2057)).toBeNull();
    expect(languageFromCultureId(null)).toBeNull();
    expect(languageFromCultureId(undefined)).toBeNull();
  });
});

describe('civilityFromLucca', () => {
  it.each([
    ['Mr', null, 'mr'],
    ['M.', null, 'mr'],
    ['Mrs', null, 'ms'],
    ['Mme', null, 'ms'],
    [null, 'Female', 'ms'],
    ['', 'Male', 'mr'],
    [null, 'Misc', 'mx'],
    [null, 'Undefined', null],
  ])('civilTitle %p, gender %p -> %p', (title, gender, expected) => {
    expect(civilityFromLucca(title, gender)).toBe(expected);
  });
});

describe('mapDossierStatus', () => {
  it.each(['created', 'candidate_invited', 'consent_given', 'in_progress'] as const)('%s is not final', (status) => {
    expect(mapDossierStatus(status, null)).toEqual({ final: false, stage: status });
    expect(isFinalStatus(status)).toBe(false);
  });

  it.each(['compliant', 'attention_points', 'non_compliant'] as const)('report_available with %s is final with that outcome', (result) => {
    expect(mapDossierStatus('report_available', result)).toEqual({ final: true, outcome: result });
  });

  it.each(['consent_refused', 'expired', 'cancelled'] as const)('%s is final', (status) => {
    expect(mapDossierStatus(status, null)).toEqual({ final: true, outcome: status });
  });

  it('flags a report without result', () => {
    expect(mapDossierStatus('report_available', null)).toEqual({ final: true, outcome: 'result_missing' });
  });
});
