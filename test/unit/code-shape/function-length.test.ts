import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { SRC, sourceFiles } from './source-files';

/** The project's rule (issue 15; docs/architecture.md): a function in src/ reads at once. */
const MAX_LINES = 60;

/** Functions, methods and arrow functions longer than the limit, as `file:line name (N lines)`. */
function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named =
        node.name ?? (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent) ? node.parent.name : undefined);
      if (end - start + 1 > MAX_LINES)
        found.push(`${relative(SRC, file)}:${start + 1} ${named?.getText() ?? '(anonymous)'} (${end - start + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code shape', () => {
  it(`keeps every function in src/ within ${MAX_LINES} lines`, () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(longFunctions)).toEqual([]);
  });

  it('finds a long function when there is one (the check can fail)', () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const file = join(tmpdir(), `long-function-${process.pid}.ts`);
    writeFileSync(file, `export function tooLong(): void {\n${body}\n}\n`);
    expect(longFunctions(file)).toEqual([expect.stringContaining('tooLong (62 lines)')]);
  });
});
