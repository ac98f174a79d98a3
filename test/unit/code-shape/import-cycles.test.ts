import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { resolveSpecifier, specifiers, SRC, sourceFiles } from './source-files';

/** The project's rule (issue 26): no module of src/ reaches itself through its imports, type-only ones included. */

type ImportGraph = Map<string, string[]>;

function importGraph(files: string[]): ImportGraph {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = specifiers(file)
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => target !== undefined && known.has(target));
      return [file, [...new Set(targets)]];
    }),
  );
}

/** Tarjan's strongly connected components with more than one file, or one file importing itself. */
function stronglyConnected(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** One cycle through a component, as a chain `a → b → … → a` (shortest path back, by breadth-first search). */
function cycleChain(graph: ImportGraph, component: string[], root: string): string {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const next = (graph.get(node) ?? []).filter((target) => members.has(target));
    if (next.includes(start)) {
      const path = [node];
      while (previous.has(path[0]!)) path.unshift(previous.get(path[0]!)!);
      return [...path, start].map((file) => relative(root, file)).join(' → ');
    }
    for (const target of next)
      if (!previous.has(target) && target !== start) {
        previous.set(target, node);
        queue.push(target);
      }
  }
  return component.map((file) => relative(root, file)).join(', ');
}

function importCycles(root: string): string[] {
  const graph = importGraph(sourceFiles(root));
  const names = (component: string[]): string =>
    component
      .map((file) => relative(root, file))
      .sort()
      .join(', ');
  return stronglyConnected(graph)
    .map((component) => `${cycleChain(graph, component, root)} (${component.length} files: ${names(component)})`)
    .sort();
}

describe('code shape', () => {
  it('has no import cycle in src/, type-only imports included', () => {
    expect(sourceFiles(SRC).length).toBeGreaterThan(100);
    expect(importCycles(SRC)).toEqual([]);
  });

  it('finds a cycle when there is one, type-only, re-exported or through an index (the check can fail)', () => {
    const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
    const write = (path: string, text: string): void => {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    };
    write('a.ts', "import type { B } from './b';\nexport type A = B;\n");
    write('b.ts', "export { A as B } from './a';\n");
    write('c.ts', "import { D } from './d';\nexport const C = D;\n");
    write('d/index.ts', "import { C } from '../c';\nexport const D = 1; export const E = C;\n");
    write('e.ts', "import { x } from 'typescript';\nexport const e = x;\n");
    expect(importCycles(root)).toEqual([
      'a.ts → b.ts → a.ts (2 files: a.ts, b.ts)',
      'c.ts → d/index.ts → c.ts (2 files: c.ts, d/index.ts)',
    ]);
  });
});
