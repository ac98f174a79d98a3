import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The product's sources, which the code-shape rules read. */
export const SRC = join(__dirname, '..', '..', '..', 'src');

/** Every `.ts` file below a folder. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
