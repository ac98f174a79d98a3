import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Issue 26: `npm test` runs every suite; the four `test:*` tiers split them. Each test file must belong to exactly one
 * tier, or editing with the tiers would silently skip it (as test/contracts once was).
 */
const ROOT = join(__dirname, '..', '..', '..');
const TIERS = ['test:unit', 'test:workflows', 'test:integration', 'test:production'];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** The paths a tier's jest command names, and the paths it ignores. */
function tierPaths(script: string): { roots: string[]; ignored: string[] } {
  const jest = script.slice(script.indexOf('jest '));
  const [rootsPart, ignoredPart = ''] = jest.split('--testPathIgnorePatterns');
  const paths = (part: string) => part.split(/\s+/).filter((word) => word.startsWith('test/'));
  return { roots: paths(rootsPart!), ignored: paths(ignoredPart) };
}

describe('test tiers', () => {
  it('put every test file in exactly one tier', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const tiers = TIERS.map((name) => ({ name, ...tierPaths(scripts[name]!) }));
    const files = testFiles(join(ROOT, 'test'));
    expect(files.length).toBeGreaterThan(100);
    const under = (file: string, paths: string[]) => paths.some((p) => file.startsWith(`${p}/`) || file === p);
    const placement = files.map((file) => {
      const owners = tiers.filter((t) => under(file, t.roots) && !under(file, t.ignored)).map((t) => t.name);
      return `${file}: ${owners.join(', ') || 'no tier'}`;
    });
    expect(placement.filter((line) => !/: test:[a-z]+$/.test(line))).toEqual([]);
  });
});
