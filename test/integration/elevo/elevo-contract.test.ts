import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { elevoErrorCodeSchema, elevoUserPageSchema, elevoUserSchema } from '../../../src/connectors/elevo-user-sync/elevo/schemas';

/** The OpenAPI file and the zod schemas must describe the same contract. */
const spec = parse(readFileSync(resolve(__dirname, '../../../api/elevo-provisioning.openapi.yaml'), 'utf8'));

describe('Elevo provisioning API contract', () => {
  it('is OpenAPI 3.1 with every endpoint the sync and the lock test use', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths).sort()).toEqual([
      '/admin/users/{id}',
      '/users',
      '/users/{id}',
      '/users/{id}/reactivate',
      '/users/{id}/release',
      '/users/{id}/suspend',
    ]);
    expect(spec.paths['/users'].post.parameters[0]).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
    expect(spec.paths['/admin/users/{id}'].patch.responses['423']).toBeDefined();
  });

  it('User and UserPage have the same fields as the zod schemas', () => {
    expect(Object.keys(spec.components.schemas.User.properties).sort()).toEqual(Object.keys(elevoUserSchema.shape).sort());
    expect([...spec.components.schemas.User.required].sort()).toEqual(Object.keys(elevoUserSchema.shape).sort());
    expect(Object.keys(spec.components.schemas.UserPage.properties).sort()).toEqual(Object.keys(elevoUserPageSchema.shape).sort());
  });

  it('lists the same error codes', () => {
    expect([...spec.components.schemas.Error.properties.error.enum].sort()).toEqual([...elevoErrorCodeSchema.options].sort());
  });
});
