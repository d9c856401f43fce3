import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../src/assignment/load.ts';
import { referenceImplementation, replayChecks } from '../src/selftest/replay.ts';

// A correct answer must not lose points to one student's inputs. `mlgrade check` grades the
// reference for 10 student ids; a gradient check that failed it for about one student in a
// hundred (a batch whose column barely varied) was found only by grading a class of 40. So the
// reference is replayed here on every case, visible and hidden, for 300 student ids (the same
// seeds, checks and detectors as grading; see selftest/replay.ts): ~15 s.
const assignment = await loadAssignment('cnn-layers');
const implementation = await referenceImplementation(assignment);
const STUDENTS = Array.from({ length: 300 }, (_, i) => `class-${i + 1}`);

describe('cnn-layers: the reference gets full marks for 300 students', () => {
  it('on every case of every problem', async () => {
    const lost: string[] = [];
    let replayed = 0;
    for (const student of STUDENTS) {
      const cases = await replayChecks({ assignment, implementation, student, secret: 'class-secret' });
      replayed += cases.length;
      for (const c of cases) if (c.score < 1) lost.push(`${student}: ${c.problem} / ${c.caseName}: ${c.message}`);
    }
    expect(replayed).toBe(STUDENTS.length * assignment.spec.problems.reduce((n, p) => n + p.cases.length, 0));
    expect(lost).toEqual([]);
  }, 300_000);
});
