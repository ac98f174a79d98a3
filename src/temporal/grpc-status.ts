/** gRPC status codes Temporal answers with (the numbers are fixed by the gRPC specification). */
export const GrpcStatus = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  UNAVAILABLE: 14,
  UNIMPLEMENTED: 12,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC status code of a Temporal service error (client or native connection), if it is one. */
export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (err: unknown) => grpcCode(err) === GrpcStatus.NOT_FOUND;
export const isAlreadyExists = (err: unknown) => grpcCode(err) === GrpcStatus.ALREADY_EXISTS;
/** Temporal Cloud refuses the operator service: namespaces and search attributes are managed there with tcld or the Cloud UI. */
export const isRefusedOperation = (err: unknown) =>
  grpcCode(err) === GrpcStatus.PERMISSION_DENIED || grpcCode(err) === GrpcStatus.UNIMPLEMENTED;
