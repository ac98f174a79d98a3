import { findMatchingLabel, labelsMatch, normalizeStatusLabel } from '../../../src/connectors/aequivalent-screening/domain';

describe('status labels', () => {
  it.each([
    ['Dossier crée par Aequivalent', 'Dossier créé par Aequivalent'],
    ['Dossier créé par Aequivalent', 'dossier cree par aequivalent'],
    ['Dossier à commander', 'DOSSIER A COMMANDER'],
    ['  Dossier   à commander ', 'Dossier à commander'],
    ['Update +', 'update +'],
    ['(potentielle) Employé·e', '(POTENTIELLE) EMPLOYÉ·E'],
    ['Light – Consultants externes', 'Light - Consultants externes'],
  ])('"%s" matches "%s"', (a, b) => {
    expect(labelsMatch(a, b)).toBe(true);
  });

  it.each([
    ['Dossier à commander', 'Dossier crée par Aequivalent'],
    ['Update', 'Update +'],
    ['Basic', ''],
  ])('"%s" does not match "%s"', (a, b) => {
    expect(labelsMatch(a, b)).toBe(false);
  });

  it('never matches a missing label', () => {
    expect(labelsMatch(null, 'Dossier à commander')).toBe(false);
    expect(labelsMatch('Dossier à commander', undefined)).toBe(false);
  });

  it('normalizes to lower case without accents', () => {
    expect(normalizeStatusLabel(' Dossier  Créé par Aequivalent ')).toBe('dossier cree par aequivalent');
  });

  it('finds the canonical spelling in a list', () => {
    expect(findMatchingLabel('executive', ['Basic', 'Executive'])).toBe('Executive');
    expect(findMatchingLabel('Premium', ['Basic', 'Executive'])).toBeUndefined();
  });
});
