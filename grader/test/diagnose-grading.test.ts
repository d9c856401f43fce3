import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment, PROJECT_ROOT } from '../src/assignment/load.ts';
import { render } from '../src/report/render.ts';
import { gradeSubmission } from '../src/run/grade.ts';

// Generic diagnoses (checks/diagnose.ts) end to end: through the sandbox into the Result and
// the reports. The unit tests are in diagnose.test.ts.

describe('diagnoses in grading and reports', () => {
  const root = path.join(PROJECT_ROOT, 'grader/test/fixtures/diagnose-project');

  it('appends "Observed:" to a failing visible case without a declared mistake, and a declared hint replaces it', async () => {
    const assignment = await loadAssignment('diag', root);
    const result = await gradeSubmission({ assignment, submissionDir: path.join(root, 'submissions/wrong'), student: 's1', seed: '0', secret: 'test-secret' });
    const [normalize, difference] = result.problems;
    const [visible, hidden] = normalize.cases;
    expect(visible.status).toBe('fail');
    expect(visible.mistake).toBeUndefined();
    expect(visible.message).toMatch(/^out\[0\]\[0\]: expected .*\n12 of 12 entries are outside the tolerance .*\nObserved: out: every entry is exactly 2× the expected value\.$/);
    expect(hidden.message).toBe('failed (this case is not visible: details are withheld)');
    const [declared] = difference.cases;
    expect(declared.mistake).toBe('subtracts-backwards');
    expect(declared.message).toMatch(/\nHint: Subtract b from a, not a from b\.$/);
    expect(declared.message).not.toContain('Observed:');
    expect(render('md', result)).toContain('  Observed: out: every entry is exactly 2× the expected value.');
    expect(render('console', result, { color: false })).toContain('Observed: out: every entry is exactly 2× the expected value.');
  });
});
