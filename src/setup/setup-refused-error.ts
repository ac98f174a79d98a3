/** The server does not let `setup` do a step (Temporal Cloud manages namespaces and search attributes itself): one line saying how to do it there. */
export class SetupRefusedError extends Error {
  override readonly name = 'SetupRefusedError';
}
