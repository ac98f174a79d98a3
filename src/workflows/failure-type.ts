/** The typed failure's name behind an activity failure (e.g. `LuccaPermissionError`): never its message, which could carry data. */
export function failureType(err: unknown): string {
  const cause = (err as { cause?: { type?: string; name?: string } })?.cause;
  return cause?.type ?? cause?.name ?? (err as Error)?.name ?? 'error';
}
