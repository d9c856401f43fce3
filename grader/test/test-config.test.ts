import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOWEST_FIRST } from '../../vitest.config.ts';
import { END_TO_END_TESTS, NO_CHECK_CODE, NOT_FOR_MUTATION, REPLAY_TESTS } from '../../vitest.mutation.config.ts';
import { PROJECT_ROOT } from './helpers.ts';

// The test configurations name test files; a renamed file would silently drop out of a list
// (run in a worse order, or run under Stryker after all).
describe('the test configurations name files that exist', () => {
  it.each([
    ['SLOWEST_FIRST', SLOWEST_FIRST],
    ['END_TO_END_TESTS', END_TO_END_TESTS],
    ['NOT_FOR_MUTATION', NOT_FOR_MUTATION],
    ['REPLAY_TESTS', REPLAY_TESTS],
    ['NO_CHECK_CODE', NO_CHECK_CODE],
  ])('%s', (_name, files) => {
    const missing = files.filter((file) => !file.includes('*') && !existsSync(path.join(PROJECT_ROOT, file)));
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });
});
