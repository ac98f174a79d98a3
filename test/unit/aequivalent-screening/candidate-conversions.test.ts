import { civilityFromLucca, languageFromCultureId } from '../../../src/connectors/aequivalent-screening/domain';

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
