import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseConfigText } from '../../../src/config/load-config';
import { KubernetesSchemas } from '../../support/kubernetes-schemas';
import { ensuredTool } from '../../support/go-tool';

const root = resolve(__dirname, '../../..');
const chart = join(root, 'deploy', 'helm', 'lucca-connectors');
// Built from the Go module proxy on first use, cached per user; the API schemas from the
// k8s.io/kubernetes module (Go module cache): nothing but the proxy is contacted.
const helm = ensuredTool('ensure-helm.mjs');
const specDir = ensuredTool('ensure-kubernetes-openapi.mjs');

/** The Kubernetes version of the schemas (scripts/ensure-kubernetes-openapi.mjs): helm renders for it too. */
const KUBE_VERSION = /KUBERNETES_VERSION = 'v([0-9.]+)'/.exec(
  readFileSync(join(root, 'scripts', 'ensure-kubernetes-openapi.mjs'), 'utf8'),
)![1]!;

/** Kinds that are not part of the Kubernetes API (CRDs of operators the chart can target). */
const CUSTOM_KINDS = new Set(['TemporalWorkerDeployment', 'PodMonitor']);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

function render(values: Record<string, unknown> = {}): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
    const r = spawnSync(
      helm!,
      ['template', 'lc', chart, '--namespace', 'connectors', '--kube-version', KUBE_VERSION, '-f', join(dir, 'values.json')],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
    return parseAllDocuments(r.stdout)
      .map((d) => d.toJS() as Manifest)
      .filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const VARIANTS: Record<string, Record<string, unknown>> = {
  defaults: {},
  'rainbow: the current version and two draining ones': { worker: { drainingVersions: [{ tag: '0.0.9', replicas: 1 }, { tag: '0.0.8' }] } },
  'unversioned, no autoscaling, chart-made Secret': {
    worker: { versioned: false, autoscaling: { enabled: false } },
    secrets: { data: { 'payload-key': 'x' } },
  },
  'Worker Controller with a PodMonitor': { worker: { mode: 'TemporalWorkerDeployment' }, metrics: { podMonitor: { enabled: true } } },
};

const podSpecs = (manifests: Manifest[]) =>
  manifests.flatMap((m) =>
    m.kind === 'Deployment' || m.kind === 'TemporalWorkerDeployment'
      ? [m.spec.template.spec]
      : m.kind === 'Job'
        ? [m.spec.template.spec]
        : [],
  );

(helm && specDir ? describe : describe.skip)('the Helm chart (helm template, helm lint, Kubernetes API schemas)', () => {
  const schemas = new KubernetesSchemas(specDir!);

  it('passes `helm lint --strict`', () => {
    const r = spawnSync(helm!, ['lint', '--strict', '--kube-version', KUBE_VERSION, chart], { encoding: 'utf8' });
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it.each(Object.keys(VARIANTS))('renders manifests the Kubernetes API schemas accept (%s)', (variant) => {
    const manifests = render(VARIANTS[variant]);
    expect(manifests.length).toBeGreaterThan(5);
    const problems = manifests
      .filter((m) => !CUSTOM_KINDS.has(m.kind))
      .flatMap((m) => schemas.validate(m).map((e) => `${m.kind}/${m.metadata.name}${e}`));
    expect(problems).toEqual([]);
  });

  it('the schema check catches a misspelt field and a wrong type (it can fail)', () => {
    const deployment = render().find((m) => m.kind === 'Deployment')!;
    const misspelt = JSON.parse(JSON.stringify(deployment));
    misspelt.spec.template.spec.terminationGracePeriodSecond = 60;
    expect(schemas.validate(misspelt).join('\n')).toContain('terminationGracePeriodSecond');
    const wrongType = JSON.parse(JSON.stringify(deployment));
    wrongType.spec.replicas = 'two';
    expect(schemas.validate(wrongType).length).toBeGreaterThan(0);
    expect(() => schemas.validate({ apiVersion: 'apps/v1', kind: 'Deploymnet' })).toThrow('not a kind');
  });

  it('every pod runs as non-root, read-only, without privilege escalation or a service account token', () => {
    for (const variant of Object.values(VARIANTS)) {
      for (const spec of podSpecs(render(variant))) {
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.automountServiceAccountToken).toBe(false);
        for (const c of spec.containers)
          expect(c.securityContext).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
      }
    }
  });

  it('gives the worker longer to stop than its own shutdown grace, and probes it on /healthz', () => {
    const grace = Number(/shutdownGraceTime: '(\d+) seconds'/.exec(readFileSync(join(root, 'src', 'worker.ts'), 'utf8'))![1]);
    const workers = render().filter((m) => m.kind === 'Deployment' && m.metadata.name.includes('-worker'));
    expect(workers).toHaveLength(1);
    const pod = workers[0]!.spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(grace);
    expect(pod.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    // tini (the image's entrypoint) stays in front of node: SIGTERM reaches the worker.
    expect(pod.containers[0].command).toBeUndefined();
  });

  it("publishes the webhook process's two receivers: Aequivalent's (4400) and the newer Lucca API's (4401), on the port the process listens on", () => {
    const manifests = render();
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name.endsWith('-webhooks'))!;
    const container = deployment.spec.template.spec.containers[0];
    const env = Object.fromEntries(
      container.env.filter((e: { value?: string }) => e.value).map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ LUCCA_CONNECTORS_WEBHOOK_PORT: '4400', LUCCA_CONNECTORS_LUCCA_WEBHOOK_PORT: '4401' });
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 4400 },
      { name: 'lucca', containerPort: 4401 },
    ]);
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name.endsWith('-webhooks'))!;
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 4400, targetPort: 'http' },
      { name: 'lucca', port: 4401, targetPort: 'lucca' },
    ]);
    const codec = manifests.find((m) => m.kind === 'Service' && m.metadata.name.endsWith('-codec-server'))!;
    expect(codec.spec.ports).toHaveLength(1);
  });

  it('runs `setup` as a pre-install/pre-upgrade Job that reads hook copies of the config and secrets', () => {
    const manifests = render({ secrets: { data: { 'payload-key': 'x' } } });
    const job = manifests.find((m) => m.kind === 'Job')!;
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['node', 'dist/client.js', 'setup']);
    const volumes = job.spec.template.spec.volumes as Array<{ configMap?: { name: string }; secret?: { secretName: string } }>;
    for (const v of volumes.filter((x) => x.configMap || x.secret)) {
      const name = v.configMap?.name ?? v.secret!.secretName;
      const source = manifests.find((m) => m.metadata.name === name)!;
      expect(source.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(Number(source.metadata.annotations!['helm.sh/hook-weight'])).toBeLessThan(
        Number(job.metadata.annotations!['helm.sh/hook-weight']),
      );
    }
  });

  it("mounts the config as a directory (updates reach the workers' poll) and the config is one the connectors accept", () => {
    const manifests = render();
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'lc-lucca-connectors-config')!;
    const parsed = parseConfigText(config.data!['config.yaml']!, '/etc/lucca-connectors/config/config.yaml').config;
    expect(parsed.temporal.namespace).toBe('lucca-connectors');
    for (const spec of podSpecs(manifests)) {
      for (const mount of spec.containers[0].volumeMounts) expect(mount.subPath).toBeUndefined();
    }
  });

  it('keeps one Deployment per version in a rainbow rollout; the HPA follows the current one; the PDB covers them all', () => {
    const manifests = render(VARIANTS['rainbow: the current version and two draining ones']);
    const workers = manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name.includes('-worker-'));
    expect(
      workers
        .map((w) => w.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'LUCCA_CONNECTORS_BUILD_ID').value)
        .sort(),
    ).toEqual(['0.0.8', '0.0.9', '0.1.0']);
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.spec.scaleTargetRef.name).toBe('lc-lucca-connectors-worker-0-1-0');
    expect(hpa.spec.metrics.map((m: { type: string }) => m.type)).toEqual(['External', 'Pods']);
    const pdb = manifests.find((m) => m.kind === 'PodDisruptionBudget')!;
    for (const w of workers) expect(w.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
  });

  it('under the Worker Controller renders a TemporalWorkerDeployment and no worker Deployment or HPA of its own', () => {
    const manifests = render(VARIANTS['Worker Controller with a PodMonitor']);
    const twd = manifests.find((m) => m.kind === 'TemporalWorkerDeployment')!;
    expect(twd.spec.workerOptions).toEqual({ connection: 'temporal', temporalNamespace: 'lucca-connectors' });
    expect(twd.spec.rollout.strategy).toBe('Progressive');
    expect(manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name.includes('-worker'))).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    // The pod template inside it is a valid Kubernetes PodTemplateSpec.
    expect(
      schemas.validate({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'x' }, template: twd.spec.template } as never),
    ).toEqual([]);
  });
});
