/**
 * Jest's own summary is not a closing line CI knows how to read, so we end every run with
 * the plain `N passed, N failed` line (plus skipped when there are any).
 */
/** The tier of a test file, as the `test:*` npm scripts split them (docs/testing.md). */
function tierOf(path) {
  const rel = path.replace(/\\/g, '/').replace(/^.*?\/test\//, 'test/');
  if (rel.startsWith('test/unit/')) return 'unit';
  if (rel.startsWith('test/workflows/') || rel.startsWith('test/replay/')) return 'workflows';
  if (/^test\/(integration\/production|integration\/containers|browser)\//.test(rel)) return 'production';
  return 'integration';
}

class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    // Seconds per tier in this run (each file's own runtime), so CI's log states what each tier costs here.
    const seconds = {};
    for (const file of results.testResults) {
      const tier = tierOf(file.testFilePath);
      seconds[tier] = (seconds[tier] ?? 0) + (file.perfStats.end - file.perfStats.start) / 1000;
    }
    const tiers = ['unit', 'workflows', 'integration', 'production'].filter((t) => t in seconds);
    if (tiers.length > 0) process.stdout.write(`\ntiers: ${tiers.map((t) => `${t} ${Math.round(seconds[t])} s`).join(', ')}\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    // Suites that failed to run (syntax error, failed beforeAll) count as failures too.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = PlainSummaryReporter;
