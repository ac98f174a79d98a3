import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (inside the workflow sandbox too): failure messages and stack traces go into an
 * encoded attribute, which the payload codec then seals, because an error text may quote data.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
