/** One configured encryption key, shared by the payload codec and the artifact cipher. */
export interface CodecKey {
  id: string;
  /** 32 raw bytes. */
  key: Buffer;
  /**
   * `false`: the key opens payloads and artifacts but seals nothing (the first step of a rotation,
   * until every process knows it). Default true.
   */
  seal?: boolean;
}

/** The key that seals: the last one not marked `seal: false` (keys are in rotation order). */
export function sealingKeyOf(keys: readonly CodecKey[]): CodecKey | undefined {
  return keys.filter((k) => k.seal !== false).at(-1);
}
