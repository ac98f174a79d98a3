import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

export interface RecordedExchange {
  method: string;
  /** Path relative to the account's base URL, e.g. `/users/usr_1`. */
  path: string;
  status: number;
  headers: Headers;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface Violation {
  exchange: string;
  problem: string;
}

/**
 * One OpenAPI 3.1 file as a response validator: which operation a request hits, whether the status is
 * declared for it, whether the JSON body matches the declared schema (JSON Schema 2020-12 with ajv and
 * ajv-formats, so `format: date`, `date-time` and `email` are enforced) and required headers are there.
 */
export class OpenApiContract {
  readonly doc: Json;
  private readonly ajv: Ajv2020;
  private readonly id: string;
  private readonly validators = new Map<string, ValidateFunction>();
  /** operationId → exchanges seen. */
  readonly covered = new Map<string, number>();

  constructor(file: string) {
    this.doc = parse(readFileSync(resolve(__dirname, '../..', file), 'utf8')) as Json;
    this.id = `https://contracts.local/${file}`;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...this.doc, $id: this.id });
  }

  operationIds(): string[] {
    return Object.values(this.doc.paths as Json).flatMap((item) =>
      Object.entries(item as Json)
        .filter(([m]) => METHODS.includes(m))
        .map(([, op]) => (op as Json).operationId as string),
    );
  }

  /** The schema of `#/components/schemas/<name>` (for comparisons with zod). */
  schema(name: string): Json {
    return ((this.doc.components as Json).schemas as Json)[name] as Json;
  }

  validatorFor(pointer: string): ValidateFunction {
    let v = this.validators.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${this.id}#${pointer}` });
      this.validators.set(pointer, v);
    }
    return v;
  }

  check(x: RecordedExchange): Violation[] {
    const label = `${x.method} ${x.path} → ${x.status}`;
    const found = this.operation(x.method, x.path);
    if (!found) return [{ exchange: label, problem: 'no operation in the contract' }];
    this.covered.set(found.operationId, (this.covered.get(found.operationId) ?? 0) + 1);
    const declared = this.response(found.op, x.status);
    if (!declared) return [{ exchange: label, problem: `status ${x.status} is not declared for ${found.operationId}` }];
    const out: Violation[] = [];
    for (const [name, header] of Object.entries((declared.response.headers ?? {}) as Json)) {
      if ((header as Json).required === true && !x.headers.has(name))
        out.push({ exchange: label, problem: `required header ${name} missing` });
    }
    const content = (declared.response.content as Json | undefined)?.['application/json'] as Json | undefined;
    if (!content) return out;
    const validate = this.validatorFor(`${declared.pointer}/content/application~1json/schema`);
    if (!validate(x.body))
      out.push({
        exchange: label,
        problem: `body violates the schema: ${this.ajv.errorsText(validate.errors)} — ${JSON.stringify(x.body).slice(0, 300)}`,
      });
    return out;
  }

  private operation(method: string, path: string): { operationId: string; op: Json; pointer: string } | undefined {
    for (const [template, item] of Object.entries(this.doc.paths as Json)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (!pattern.test(path.split('?')[0]!)) continue;
      const op = (item as Json)[method.toLowerCase()] as Json | undefined;
      if (op) return { operationId: op.operationId as string, op, pointer: `/paths/${escape(template)}/${method.toLowerCase()}` };
      // The path exists for other methods: answers belong to whichever operation of the path.
      const any = Object.entries(item as Json).find(([m]) => METHODS.includes(m));
      if (any)
        return { operationId: (any[1] as Json).operationId as string, op: any[1] as Json, pointer: `/paths/${escape(template)}/${any[0]}` };
    }
    return undefined;
  }

  private response(op: Json, status: number): { response: Json; pointer: string } | undefined {
    const responses = op.responses as Json;
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) return undefined;
    let response = responses[key] as Json;
    if (typeof response.$ref === 'string') {
      const name = response.$ref.split('/').pop()!;
      response = ((this.doc.components as Json).responses as Json)[name] as Json;
      return { response, pointer: `/components/responses/${name}` };
    }
    return { response, pointer: `${this.pointerOf(op)}/responses/${key}` };
  }

  private pointerOf(op: Json): string {
    for (const [template, item] of Object.entries(this.doc.paths as Json)) {
      for (const [m, o] of Object.entries(item as Json)) if (o === op) return `/paths/${escape(template)}/${m}`;
    }
    throw new Error('operation not in the document');
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** fetch that records the exchange (path relative to `base`) for a contract check. */
export function recordingFetch(base: string, log: RecordedExchange[]) {
  return async (path: string, init: RequestInit & { duplex?: 'half' } = {}): Promise<RecordedExchange> => {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text.length ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text, the check reports it against a JSON schema
    }
    const exchange = { method: (init.method ?? 'GET').toUpperCase(), path, status: res.status, headers: res.headers, body };
    log.push(exchange);
    return exchange;
  };
}
