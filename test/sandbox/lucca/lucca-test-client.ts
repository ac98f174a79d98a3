import { request } from 'undici';

/** Plain HTTP helper for the Lucca sandbox tests (real sockets, no client code under test). */
export async function call(
  url: string,
  opts: { method?: 'GET' | 'PUT' | 'POST'; key?: string | null; body?: unknown; rawBody?: Buffer; scheme?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: any; bytes: Buffer }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.key) headers.authorization = `${opts.scheme ?? 'lucca'} application=${opts.key}`;
  if (opts.body !== undefined || opts.rawBody) headers['content-type'] = 'application/json';
  const res = await request(url, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  let json: any;
  if (String(res.headers['content-type'] ?? '').includes('json') && bytes.length > 0) json = JSON.parse(bytes.toString('utf8'));
  return { status: res.statusCode, headers: res.headers, json, bytes };
}
