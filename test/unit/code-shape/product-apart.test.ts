import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveSpecifier, specifiers, SRC, sourceFiles } from './source-files';

/**
 * Issue 26: the simulators and the local system live in dev/, apart from the product. What src/ imports is what
 * `tsconfig.build.json` compiles into dist/ and the image ships, so no module of src/ may name a file outside it.
 */
describe('the product apart from its simulators', () => {
  it('has no module of src/ that imports a file outside src/ (dev/, test/, bench/)', () => {
    const escaping = sourceFiles(SRC).flatMap((file) =>
      specifiers(file)
        .map((specifier) => resolveSpecifier(file, specifier))
        .filter((target): target is string => !!target && relative(SRC, target).startsWith('..'))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(escaping).toEqual([]);
  });

  it('compiles only src/ into dist/', () => {
    const build = JSON.parse(readFileSync(join(SRC, '..', 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(['src/**/*.ts']);
  });
});
