import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { sourceFiles } from './source-files';

/**
 * The lint rules issue 26 asks for fire on what they are meant to catch: a workflow that imports I/O code, and a
 * promise nobody awaits. Probes are linted as virtual files at paths inside the tree (nothing is written), by
 * ESLint's Node API in a child process: its config is an ES module, which Jest's module sandbox cannot import.
 */
const ROOT = join(__dirname, '..', '..', '..');
const WORKFLOW_RULE = '@typescript-eslint/no-restricted-imports';

const PROBE_PATHS = ['src/workflows/lint-probe.ts', 'src/activities/lint-probe.ts', 'src/lint-probe.ts'];

/**
 * Lints each probe with `lintText` at its path (the project service takes such a file, absent from disk, from the
 * default project built from tsconfig.json), then lints `fenceFiles` with only the workflow rule.
 */
const LINT_SCRIPT = `
import { ESLint } from 'eslint';
const { probes, fenceFiles } = JSON.parse(process.argv[1]);
const parserOptions = { projectService: { allowDefaultProject: ${JSON.stringify(PROBE_PATHS)}, defaultProject: 'tsconfig.json' } };
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: { languageOptions: { parserOptions } } });
const out = { probes: [], fence: [] };
for (const probe of probes) {
  const [result] = await eslint.lintText(probe.code, { filePath: probe.path });
  out.probes.push(result.messages.map((m) => m.ruleId ?? 'fatal: ' + m.message));
}
const rule = '${WORKFLOW_RULE}';
const config = await new ESLint({ cwd: process.cwd() }).calculateConfigForFile('src/workflows/index.ts');
const fence = new ESLint({ cwd: process.cwd(), overrideConfig: { rules: { [rule]: config.rules[rule] } } });
for (const result of await fence.lintFiles(fenceFiles)) {
  for (const m of result.messages) if (m.ruleId === rule) out.fence.push(result.filePath + ':' + m.line + ' ' + m.message);
}
console.log(JSON.stringify(out));
`;

interface Probe {
  what: string;
  path: string;
  code: string;
}

async function runEslint(probes: Probe[], fenceFiles: string[]): Promise<{ probes: string[][]; fence: string[] }> {
  const input = JSON.stringify({ probes: probes.map((p) => ({ code: p.code, path: join(ROOT, p.path) })), fenceFiles });
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', LINT_SCRIPT, input], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout) as { probes: string[][]; fence: string[] };
}

const WORKFLOW_PROBE = 'src/workflows/lint-probe.ts';
const FORBIDDEN_IN_WORKFLOWS: Probe[] = [
  ['the Temporal client', "import { Client } from '@temporalio/client';\nexport const c = Client;\n"],
  ['the Temporal activity API', "import { Context } from '@temporalio/activity';\nexport const c = Context;\n"],
  ['a node: built-in', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
  ['a bare Node built-in', "import { randomUUID } from 'crypto';\nexport const r = randomUUID;\n"],
  ['the HTTP client', "import { request } from 'undici';\nexport const r = request;\n"],
  ['the PostgreSQL client', "import { Pool } from 'pg';\nexport const p = Pool;\n"],
  ['the config loader', "import { loadConfig } from '../config/load-config';\nexport const l = loadConfig;\n"],
  ['an activity implementation', "import { createActivities } from '../activities';\nexport const a = createActivities;\n"],
  ['an integration client', "import * as lucca from '../integrations/lucca/lucca-client';\nexport const l = lucca;\n"],
  ['a connector definition', "import * as d from '../connectors/elevo-user-sync/definition';\nexport const x = d;\n"],
  ["a connector's own client", "import * as c from '../connectors/elevo-user-sync/elevo/client';\nexport const x = c;\n"],
  ['the connector registry', "import * as r from '../connectors/registry';\nexport const x = r;\n"],
].map(([what, code]) => ({ what: what!, code: code!, path: WORKFLOW_PROBE }));
const ALLOWED_IN_WORKFLOWS: Probe = {
  what: 'the workflow API, type-only imports of activities, a pure shared module',
  path: WORKFLOW_PROBE,
  code: [
    "import { proxyActivities } from '@temporalio/workflow';",
    "import type { RetryPolicy } from '@temporalio/common';",
    "import type { Activities } from '../activities';",
    "import { TENANT_ID } from '../shared/search-attributes';",
    "import { ELEVO_USER_SYNC } from '../connectors/elevo-user-sync/contract';",
    "import { computeSyncPlan } from '../connectors/elevo-user-sync/domain/compute-sync-plan';",
    'export const probe = { proxyActivities, TENANT_ID, ELEVO_USER_SYNC, computeSyncPlan } as unknown as { p: Activities; r: RetryPolicy };',
    '',
  ].join('\n'),
};
const HTTP_IN_ACTIVITY: Probe = {
  what: 'undici in an activity',
  path: 'src/activities/lint-probe.ts',
  code: "import { request } from 'undici';\nexport const r = request;\n",
};
const FLOATING: Probe = {
  what: 'a floating promise',
  path: 'src/lint-probe.ts',
  code: 'async function send(): Promise<void> {}\nexport function run(): void {\n  send();\n}\n',
};
const MISUSED: Probe = {
  what: 'an async callback where a void one is expected',
  path: 'src/lint-probe.ts',
  code: "import { EventEmitter } from 'node:events';\nexport function on(e: EventEmitter): void {\n  e.on('x', async () => {\n    await Promise.resolve();\n  });\n}\n",
};
const PROBES = [...FORBIDDEN_IN_WORKFLOWS, ALLOWED_IN_WORKFLOWS, HTTP_IN_ACTIVITY, FLOATING, MISUSED];

/** Runtime (not type-only) relative imports of a file, resolved to files. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  return source.statements.flatMap((statement) => {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) return [];
    if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) return [];
    if (ts.isExportDeclaration(statement) ? statement.isTypeOnly : isTypeOnlyImport(statement)) return [];
    const base = resolve(dirname(file), statement.moduleSpecifier.text);
    return [`${base}.ts`, join(base, 'index.ts')].filter((candidate) => existsSync(candidate)).slice(0, 1);
  });
}

function isTypeOnlyImport(statement: ts.ImportDeclaration): boolean {
  const clause = statement.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The modules outside src/workflows that workflow code loads: they run in the sandbox too. */
function reachedFromWorkflows(): string[] {
  const reached = new Set<string>();
  const queue = sourceFiles(join(ROOT, 'src', 'workflows'));
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    queue.push(...runtimeImports(file));
  }
  return [...reached].filter((file) => !file.startsWith(join(ROOT, 'src', 'workflows')));
}

let results: { probes: string[][]; fence: string[] };
const outside = reachedFromWorkflows();
beforeAll(async () => {
  results = await runEslint(PROBES, outside);
}, 300_000);
const ruleIdsOf = (probe: Probe): string[] => results.probes[PROBES.indexOf(probe)] ?? ['probe not linted'];

describe('the workflow import fence (eslint.config.mjs, src/workflows/**)', () => {
  test.each(FORBIDDEN_IN_WORKFLOWS.map((probe) => [probe.what, probe] as const))('refuses %s', (_what, probe) => {
    expect(ruleIdsOf(probe)).toContain(WORKFLOW_RULE);
  });

  test('allows the workflow API, type-only imports of activities, and pure shared modules', () => {
    expect(ruleIdsOf(ALLOWED_IN_WORKFLOWS)).toEqual([]);
  });

  test('is scoped to workflow code: an activity may use the HTTP client', () => {
    expect(ruleIdsOf(HTTP_IN_ACTIVITY)).toEqual([]);
  });

  test('every module a workflow reaches through runtime imports passes the fence too', () => {
    expect(outside.length).toBeGreaterThan(0);
    expect(results.fence.map((line) => relative(ROOT, line))).toEqual([]);
  });
});

describe('promise rules (all TypeScript files)', () => {
  test('a promise neither awaited nor voided is an error', () => {
    expect(ruleIdsOf(FLOATING)).toContain('@typescript-eslint/no-floating-promises');
  });

  test('an async callback where a void one is expected is an error', () => {
    expect(ruleIdsOf(MISUSED)).toContain('@typescript-eslint/no-misused-promises');
  });
});
