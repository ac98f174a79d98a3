import { hkdfSync } from 'node:crypto';

// Keyed by the key buffers themselves (weakly): a shredded tenant's new material derives anew, and
// dropped material takes its derived keys with it.
const derived = new WeakMap<Buffer, WeakMap<Buffer, Map<string, Buffer>>>();
// The configured keys seen (a handful per process): a WeakMap cannot be iterated.
const configuredKeys = new Set<Buffer>();

/**
 * HKDF-SHA256 of a configured key and a tenant's key material, computed once per (key, material,
 * info): every payload and artifact of a run is sealed with the same derived key, and deriving it
 * each time cost more than the sealing of a small payload.
 */
export function deriveKey(configured: Buffer, material: Buffer, info: string): Buffer {
  let byMaterial = derived.get(configured);
  if (!byMaterial) {
    derived.set(configured, (byMaterial = new WeakMap()));
    configuredKeys.add(configured);
  }
  let byInfo = byMaterial.get(material);
  if (!byInfo) byMaterial.set(material, (byInfo = new Map()));
  let key = byInfo.get(info);
  if (!key) byInfo.set(info, (key = Buffer.from(hkdfSync('sha256', configured, material, info, 32))));
  return key;
}

/** A shredded tenant's material: its derived keys are zeroed and dropped, and so is the material. */
export function forgetDerivedKeys(material: Buffer): void {
  for (const configured of configuredKeys) {
    const byInfo = derived.get(configured)?.get(material);
    for (const key of byInfo?.values() ?? []) key.fill(0);
    derived.get(configured)?.delete(material);
  }
  material.fill(0);
}
