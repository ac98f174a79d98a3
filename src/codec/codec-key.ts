/** One configured encryption key, shared by the payload codec and the artifact cipher. */
export interface CodecKey {
  id: string;
  /** 32 raw bytes. */
  key: Buffer;
}
