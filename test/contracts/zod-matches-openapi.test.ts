import type { z } from 'zod';
import * as aeq from '../../src/connectors/aequivalent-screening/aequivalent/schemas';
import * as elevo from '../../src/connectors/elevo-user-sync/elevo/schemas';
import { OpenApiContract } from '../support/openapi-contract';

type Json = Record<string, unknown>;
type AnyObject = z.ZodObject<z.ZodRawShape>;

/**
 * The clients' zod schemas (the edge: what we accept from the vendor and send to it) against the
 * OpenAPI files: same properties, same required ones, and the same verdict on valid samples and on
 * samples with impossible dates, bad e-mails or a missing field.
 */
const ELEVO = new OpenApiContract('api/elevo-provisioning.openapi.yaml');
const AEQ = new OpenApiContract('api/aequivalent-orders.openapi.yaml');

const PAIRS: Array<[OpenApiContract, string, z.ZodType]> = [
  [ELEVO, 'User', elevo.elevoUserSchema],
  [ELEVO, 'UserPage', elevo.elevoUserPageSchema],
  [ELEVO, 'CreateUser', elevo.elevoCreateUserSchema],
  [ELEVO, 'UpdateUser', elevo.elevoUpdateUserSchema],
  [ELEVO, 'AdminEdit', elevo.elevoAdminEditSchema],
  [ELEVO, 'Error', elevo.elevoErrorSchema],
  [AEQ, 'Candidate', aeq.candidateSchema],
  [AEQ, 'DossierRequest', aeq.dossierRequestSchema],
  [AEQ, 'Document', aeq.dossierDocumentSchema],
  [AEQ, 'Dossier', aeq.dossierSchema],
  [AEQ, 'DossierPage', aeq.dossierListSchema],
  [AEQ, 'WebhookEvent', aeq.webhookEventSchema],
  [AEQ, 'Error', aeq.apiErrorSchema],
];

/** Properties and required names of an OpenAPI object schema, `allOf` merged, `$ref`s followed. */
function openApiShape(contract: OpenApiContract, schema: Json): { properties: string[]; required: string[] } {
  if (typeof schema.$ref === 'string') return openApiShape(contract, contract.schema(schema.$ref.split('/').pop()!));
  const parts = [
    schema,
    ...((schema.allOf as Json[] | undefined) ?? []).map((p) =>
      typeof p.$ref === 'string' ? contract.schema(p.$ref.split('/').pop()!) : p,
    ),
  ];
  const nested = parts.slice(1).map((p) => openApiShape(contract, p));
  return {
    properties: [
      ...new Set([...Object.keys((schema.properties as Json | undefined) ?? {}), ...nested.flatMap((n) => n.properties)]),
    ].sort(),
    required: [...new Set([...((schema.required as string[] | undefined) ?? []), ...nested.flatMap((n) => n.required)])].sort(),
  };
}

function zodShape(schema: z.ZodType): { properties: string[]; required: string[] } {
  const shape = (schema as AnyObject).shape;
  return {
    properties: Object.keys(shape).sort(),
    required: Object.entries(shape)
      .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
      .map(([k]) => k)
      .sort(),
  };
}

describe("the clients' zod schemas match the OpenAPI contracts", () => {
  it.each(PAIRS.map(([c, name, schema]) => [`${c === ELEVO ? 'elevo' : 'aequivalent'} ${name}`, c, name, schema] as const))(
    '%s: same properties, same required ones',
    (_label, contract, name, schema) => {
      expect(zodShape(schema)).toEqual(openApiShape(contract, contract.schema(name)));
    },
  );

  const user = {
    id: 'usr_1',
    externalId: '12',
    email: 'anne.roux@acme.example.fr',
    registrationNumber: '00057',
    firstName: 'Anne',
    lastName: 'Roux',
    jobTitle: null,
    managerExternalId: null,
    department: 'Finance',
    workStartDate: '2020-02-29',
    customFields: { costCenter: 'CC-1' },
    status: 'active',
    lockedAttributes: ['email'],
    createdAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T09:00:00+01:00',
  };
  const candidate = {
    civility: 'ms',
    firstName: 'Camille',
    lastName: 'Moreau',
    language: 'fr-FR',
    email: 'camille.moreau@acme.example.fr',
    professionalPhone: null,
    personalPhone: '+33612345678',
    birthDate: '1990-05-17',
    contractStart: '2026-12-01',
    jobTitle: 'Comptable',
  };
  const document = {
    id: 'doc_1',
    kind: 'cv',
    fileName: 'cv.pdf',
    contentType: 'application/pdf',
    size: 12,
    sha256: 'a'.repeat(64),
    uploadedAt: '2026-11-20T08:00:00.000Z',
  };
  const dossier = {
    id: 'dos_1',
    externalReference: 'o-1',
    package: 'Standard',
    reasonCategory: 'Recrutement',
    reason: 'Embauche',
    costCenter: null,
    candidate,
    clientUser: null,
    documents: [document],
    status: 'created',
    result: null,
    statusHistory: [{ status: 'created', at: '2026-11-20T08:00:00.000Z' }],
    createdAt: '2026-11-20T08:00:00.000Z',
    expiresAt: '2027-01-01T08:00:00.000Z',
  };
  const SAMPLES: Array<[OpenApiContract, string, z.ZodType, Json, Array<[string, Json]>]> = [
    [
      ELEVO,
      'User',
      elevo.elevoUserSchema,
      user,
      [
        ['impossible work start date', { ...user, workStartDate: '2023-02-29' }],
        ['month 13', { ...user, workStartDate: '2023-13-01' }],
        ['bad e-mail', { ...user, email: 'anne.roux@' }],
        ['date-time without offset', { ...user, createdAt: '2026-11-20T08:00:00' }],
        ['impossible date-time', { ...user, updatedAt: '2026-02-31T08:00:00Z' }],
        ['no status', { ...user, status: undefined }],
      ],
    ],
    [
      ELEVO,
      'CreateUser',
      elevo.elevoCreateUserSchema,
      { email: 'a.b@acme.example.fr', workStartDate: '2024-02-29' },
      [
        ['2024-02-31', { email: 'a.b@acme.example.fr', workStartDate: '2024-02-31' }],
        ['e-mail with a space', { email: 'a b@acme.example.fr' }],
        ['unknown property', { email: 'a.b@acme.example.fr', role: 'admin' }],
      ],
    ],
    [
      AEQ,
      'Candidate',
      aeq.candidateSchema,
      candidate,
      [
        ['impossible birth date', { ...candidate, birthDate: '1990-02-30' }],
        ['bad e-mail', { ...candidate, email: 'nobody@' }],
        ['no last name', { ...candidate, lastName: undefined }],
      ],
    ],
    [
      AEQ,
      'Dossier',
      aeq.dossierSchema,
      dossier,
      [
        ['impossible contract start', { ...dossier, candidate: { ...candidate, contractStart: '2026-04-31' } }],
        ['creation date-time not a date-time', { ...dossier, createdAt: 'yesterday' }],
        ['unknown status', { ...dossier, status: 'lost' }],
      ],
    ],
    [
      AEQ,
      'WebhookEvent',
      aeq.webhookEventSchema,
      {
        id: 'evt_1',
        type: 'dossier.status_changed',
        dossierId: 'dos_1',
        externalReference: 'o-1',
        status: 'report_available',
        result: 'compliant',
        occurredAt: '2026-11-20T08:00:00.000Z',
      },
      [
        [
          'occurredAt impossible',
          {
            id: 'evt_1',
            type: 'dossier.status_changed',
            dossierId: 'dos_1',
            externalReference: 'o-1',
            status: 'report_available',
            result: 'compliant',
            occurredAt: '2026-11-31T08:00:00Z',
          },
        ],
      ],
    ],
  ];

  it.each(SAMPLES.map(([c, name, schema, valid, invalid]) => [name, c, name, schema, valid, invalid] as const))(
    '%s: the same verdict on valid and invalid samples',
    (_label, contract, name, schema, valid, invalid) => {
      const validate = contract.validatorFor(`/components/schemas/${name}`);
      const verdicts = [['valid sample', valid] as const, ...invalid].map(([label, sample]) => {
        const clean = JSON.parse(JSON.stringify(sample)) as Json;
        return { label, openapi: validate(clean), zod: schema.safeParse(clean).success };
      });
      expect(verdicts).toEqual(verdicts.map((v, i) => ({ ...v, openapi: i === 0, zod: i === 0 })));
    },
  );
});
