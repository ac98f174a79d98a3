import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

type Schema = Record<string, unknown>;

/** The OpenAPI document of an apiVersion: `v1` → api__v1, `apps/v1` → apis__apps__v1. */
function documentFile(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `apis__${group}__${version}_openapi.json` : `api__${version}_openapi.json`;
}

/**
 * Strict like `kubeconform -strict`: an object that lists its properties accepts no others, so a
 * misspelt field fails instead of being dropped silently by the API server.
 */
function strict(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(strict);
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields'])
    schema.additionalProperties = false;
  Object.values(schema).forEach(strict);
}

/**
 * Validates manifests against the Kubernetes API's own OpenAPI v3 schemas (from the k8s.io/kubernetes
 * module): types, required fields, enums, and unknown fields. What the schemas cannot say (admission
 * rules, cross-field checks) is left to a real API server.
 */
export class KubernetesSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly loaded = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly specDir: string) {}

  /** Error messages (empty: valid). Throws for a kind the Kubernetes API does not have. */
  validate(manifest: { apiVersion: string; kind: string }): string[] {
    const validate = this.validator(manifest.apiVersion, manifest.kind);
    return validate(manifest)
      ? []
      : (validate.errors ?? []).map(
          (e) =>
            `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
        );
  }

  private validator(apiVersion: string, kind: string): ValidateFunction {
    const key = `${apiVersion}/${kind}`;
    const cached = this.validators.get(key);
    if (cached) return cached;
    const file = documentFile(apiVersion);
    const doc = JSON.parse(readFileSync(join(this.specDir, file), 'utf8')) as { components: { schemas: Record<string, Schema> } };
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const name = Object.keys(doc.components.schemas).find((n) => {
      const gvks = (doc.components.schemas[n]!['x-kubernetes-group-version-kind'] ?? []) as Array<{
        group: string;
        version: string;
        kind: string;
      }>;
      return gvks.some((g) => g.group === group && g.version === version && g.kind === kind);
    });
    if (!name) throw new Error(`${kind} is not a kind of ${apiVersion} in the Kubernetes API`);
    if (!this.loaded.has(file)) {
      strict(doc.components);
      this.ajv.addSchema({ components: doc.components }, file);
      this.loaded.add(file);
    }
    const validate = this.ajv.compile({ $ref: `${file}#/components/schemas/${name}` });
    this.validators.set(key, validate);
    return validate;
  }
}
