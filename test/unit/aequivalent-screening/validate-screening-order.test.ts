import {
  DEFAULT_SCREENING_LABELS,
  validateScreeningOrder,
  type CandidateRecord,
  type ScreeningSection,
} from '../../../src/connectors/aequivalent-screening/domain';
import { dossierRequestSchema } from '../../../src/connectors/aequivalent-screening/aequivalent/schemas';

const candidate = (over: Partial<CandidateRecord> = {}): CandidateRecord => ({
  luccaId: 412,
  lastName: 'Moreau',
  firstName: 'Camille',
  civility: 'ms',
  language: 'fr-FR',
  professionalEmail: 'camille.moreau@acme.example',
  professionalPhone: '+33 1 45 78 45 12',
  personalPhone: null,
  birthDate: '1989-12-22T00:00:00',
  contractStart: '2024-09-01T00:00:00',
  jobTitle: 'Contrôleuse de gestion',
  ...over,
});

const section = (over: Partial<ScreeningSection> = {}): ScreeningSection => ({
  packageLabel: 'Standard',
  reasonCategoryLabel: '(potentielle) Employé·e',
  reasonLabel: 'Offre signée',
  costCenter: 'FIN-PARIS',
  cvFileId: 'a1b2c3d4-0000-4000-8000-000000000001',
  otherFileIds: [],
  clientUserId: 17,
  orderStatusLabel: 'Dossier à commander',
  ...over,
});

const ctx = { externalReference: 'acme:order:412:1', labels: DEFAULT_SCREENING_LABELS };

function problemCodes(c: CandidateRecord, s: ScreeningSection): string[] {
  const result = validateScreeningOrder(c, s, ctx);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe('validateScreeningOrder', () => {
  it('builds the dossier request from complete data, with dates reduced to the day', () => {
    const result = validateScreeningOrder(candidate(), section(), ctx);
    expect(result).toEqual({
      ok: true,
      order: {
        externalReference: 'acme:order:412:1',
        package: 'Standard',
        reasonCategory: '(potentielle) Employé·e',
        reason: 'Offre signée',
        costCenter: 'FIN-PARIS',
        candidate: {
          civility: 'ms',
          firstName: 'Camille',
          lastName: 'Moreau',
          language: 'fr-FR',
          email: 'camille.moreau@acme.example',
          professionalPhone: '+33 1 45 78 45 12',
          personalPhone: null,
          birthDate: '1989-12-22',
          contractStart: '2024-09-01',
          jobTitle: 'Contrôleuse de gestion',
        },
        clientUser: { luccaId: 17 },
      },
    });
  });

  it('reports a missing package', () => {
    expect(problemCodes(candidate(), section({ packageLabel: null }))).toEqual(['missing_package']);
  });

  it('treats a blank package as missing', () => {
    expect(problemCodes(candidate(), section({ packageLabel: '   ' }))).toEqual(['missing_package']);
  });

  it('reports a package outside the known list', () => {
    const result = validateScreeningOrder(candidate(), section({ packageLabel: 'Premium' }), ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ code: 'unknown_package', field: 'package' });
      expect(result.problems[0]!.message).toContain('Premium');
    }
  });

  it('accepts accent/case variants of a package and sends the canonical label', () => {
    const result = validateScreeningOrder(
      candidate(),
      section({ packageLabel: 'light - consultants EXTERNES', reasonLabel: 'offre signee' }),
      ctx,
    );
    expect(result.ok && result.order.package).toBe('Light - Consultants externes');
    expect(result.ok && result.order.reason).toBe('Offre signée');
  });

  it('reports missing reason category and reason separately', () => {
    expect(problemCodes(candidate(), section({ reasonCategoryLabel: null, reasonLabel: null }))).toEqual([
      'missing_reason_category',
      'missing_reason',
    ]);
  });

  it('reports unknown reason category and reason', () => {
    expect(problemCodes(candidate(), section({ reasonCategoryLabel: 'Stagiaire', reasonLabel: 'Curiosité' }))).toEqual([
      'unknown_reason_category',
      'unknown_reason',
    ]);
  });

  it('accepts any reason when the tenant gave no reason list', () => {
    const result = validateScreeningOrder(candidate(), section({ reasonLabel: 'Autre raison' }), {
      ...ctx,
      labels: { packages: ['Standard'] },
    });
    expect(result.ok && result.order.reason).toBe('Autre raison');
  });

  it('requires last and first names', () => {
    expect(problemCodes(candidate({ lastName: null, firstName: ' ' }), section())).toEqual(['missing_last_name', 'missing_first_name']);
  });

  it('requires a way to contact the candidate', () => {
    expect(problemCodes(candidate({ professionalEmail: null, professionalPhone: null, personalPhone: '' }), section())).toEqual([
      'missing_contact',
    ]);
  });

  it('accepts a personal phone as the only contact', () => {
    const result = validateScreeningOrder(
      candidate({ professionalEmail: null, professionalPhone: null, personalPhone: '06 11 22 33 44' }),
      section(),
      ctx,
    );
    expect(result.ok && result.order.candidate.personalPhone).toBe('06 11 22 33 44');
    expect(result.ok && result.order.candidate.email).toBeNull();
  });

  it('accepts a professional email as the only contact', () => {
    const result = validateScreeningOrder(candidate({ professionalPhone: null, personalPhone: null }), section(), ctx);
    expect(result.ok).toBe(true);
  });

  it('reports an invalid email once, without also claiming no contact', () => {
    expect(problemCodes(candidate({ professionalEmail: 'camille.moreau@', professionalPhone: null }), section())).toEqual([
      'invalid_email',
    ]);
  });

  it('reports impossible dates', () => {
    expect(problemCodes(candidate({ birthDate: '1989-02-30T00:00:00', contractStart: 'soon' }), section())).toEqual([
      'invalid_birth_date',
      'invalid_contract_start',
    ]);
  });

  it('leaves optional fields null rather than failing', () => {
    const result = validateScreeningOrder(
      candidate({ civility: null, language: null, birthDate: null, contractStart: null, jobTitle: '  ' }),
      section({ costCenter: '', clientUserId: null }),
      ctx,
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.order.candidate).toMatchObject({
        civility: null,
        language: null,
        birthDate: null,
        contractStart: null,
        jobTitle: null,
      });
      expect(result.order.costCenter).toBeNull();
      expect(result.order.clientUser).toBeNull();
    }
  });

  it('passes the client user name when known', () => {
    const result = validateScreeningOrder(candidate(), section({ clientUserName: 'Responsable RH' }), ctx);
    expect(result.ok && result.order.clientUser).toEqual({ luccaId: 17, name: 'Responsable RH' });
  });

  it('lists every problem at once, one per cause', () => {
    const codes = problemCodes(
      candidate({ lastName: null, firstName: null, professionalEmail: null, professionalPhone: null, personalPhone: null }),
      section({ packageLabel: null, reasonCategoryLabel: null, reasonLabel: null }),
    );
    expect(codes).toEqual([
      'missing_package',
      'missing_reason_category',
      'missing_reason',
      'missing_last_name',
      'missing_first_name',
      'missing_contact',
    ]);
  });

  it('never puts personal data in problem messages', () => {
    const c = candidate({ lastName: null, professionalEmail: 'jean.dupont@bad', professionalPhone: null, birthDate: '1990-13-01' });
    const result = validateScreeningOrder(c, section({ reasonLabel: null }), ctx);
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : JSON.stringify(result.problems);
    for (const secret of ['Camille', 'jean.dupont', '1990-13-01', '+33']) expect(text).not.toContain(secret);
  });

  it('produces a request the API schema accepts', () => {
    const result = validateScreeningOrder(candidate(), section(), ctx);
    expect(result.ok && dossierRequestSchema.safeParse(result.order).success).toBe(true);
  });
});
