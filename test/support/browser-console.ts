// Console errors a dashboard test may expect: Chromium logs every non-2xx fetch as "Failed to load resource",
// even when the page handles the answer (a refused stale edit, a dry run that finds no account). Anything
// else — a React warning, an uncaught error, another status — fails the test.
import assert from 'node:assert/strict';

export function assertOnlyFailedLoads(consoleErrors: string[], ...statuses: number[]): void {
  const pattern = new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
  const unexpected = consoleErrors.filter((e) => !pattern.test(e));
  assert.deepEqual(unexpected, [], `unexpected console errors:\n${unexpected.join('\n')}`);
}
