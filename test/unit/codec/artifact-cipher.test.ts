import { TenantArtifactCipher } from '../../../src/codec/artifact-cipher';

/** Sealing at rest: bound to tenant, artifact key and the tenant's key material; rotation keeps old artifacts readable. */
describe('TenantArtifactCipher', () => {
  const k = (n: number) => ({ id: `k${n}`, key: Buffer.alloc(32, n) });
  const material = Buffer.alloc(32, 7);
  const context = { tenantId: 'acme', artifactKey: 'elevo-user-sync/acme/wf/run-1/report', tenantKeyMaterial: material };
  const plain = Buffer.from('Zoé report');

  it('opens what it sealed, and an artifact sealed with a rotated-out key', () => {
    const old = new TenantArtifactCipher([k(1)]).seal(plain, context);
    const rotated = new TenantArtifactCipher([k(1), k(2)]);
    expect(rotated.open(old, context)).toEqual(plain);
    expect(rotated.open(rotated.seal(plain, context), context)).toEqual(plain);
  });

  it.each([
    ['another tenant', { ...context, tenantId: 'globex' }],
    ['another run', { ...context, artifactKey: 'elevo-user-sync/acme/wf/run-2/report' }],
    ['another artifact name', { ...context, artifactKey: 'elevo-user-sync/acme/wf/run-1/skips' }],
    ['other tenant key material (shredded and re-created)', { ...context, tenantKeyMaterial: Buffer.alloc(32, 8) }],
  ])('refuses to open it under %s', (_what, other) => {
    const cipher = new TenantArtifactCipher([k(1)]);
    expect(() => cipher.open(cipher.seal(plain, context), other)).toThrow(/does not authenticate/);
  });

  it('refuses unsealed bytes and unknown keys', () => {
    expect(() => new TenantArtifactCipher([k(1)]).open(plain, context)).toThrow(/is not sealed: refused/);
    const sealed = new TenantArtifactCipher([k(3)]).seal(plain, context);
    expect(() => new TenantArtifactCipher([k(1)]).open(sealed, context)).toThrow(/unknown encryption key "k3"/);
  });
});
