import type { CallRecord, CaseSpec, CheckContext, ProblemSpec, Variant } from '../assignment/define.ts';
import { AssignmentError } from '../assignment/load.ts';
import { isNotRecorded } from '../replay/not-recorded.ts';
import { createRng } from './rng.ts';

/**
 * A case's argument lists, from its generator, its seed and the student's variant (see
 * cases/variant.ts). One call for `args`, several for `calls`; a generator that throws or
 * returns something else is the assignment's bug, reported as an AssignmentError naming the case.
 */
export function generateCalls(assignmentId: string, problem: ProblemSpec, c: CaseSpec<unknown[]>, seed: string, variant: Variant = {}): unknown[][] {
  const rng = createRng(seed);
  try {
    const calls = c.calls ? c.calls(rng, variant) : [c.args!(rng, variant)];
    if (!Array.isArray(calls) || calls.length === 0 || !calls.every(Array.isArray)) throw new Error('the generator must return an argument list (or a list of them)');
    return calls;
  } catch (error) {
    // In a student copy, a generator that needs an answer that was not recorded.
    if (isNotRecorded(error)) throw error;
    throw new AssignmentError(`${assignmentId}: problem ${problem.export}, case "${c.name}": the input generator failed: ${(error as Error).message}`);
  }
}

/**
 * What a check sees for a case whose calls all returned valid values. `findings` is the
 * grading's shared board (CheckContext.findings); a case checked on its own gets an empty one,
 * and so does a case that is not visible: what its checks measured on inputs the student may
 * not see must not reach a later visible case's pictures or messages.
 */
export function caseContext(records: Array<CallRecord<unknown[], unknown>>, caseName: string, visible: boolean, seed: string, findings = new Map<string, unknown>()): CheckContext<unknown[], unknown> {
  // The first call's fields are read through, not copied, so a record may compute its
  // `expected` only when a check asks for it (see selftest/replay.ts).
  return {
    get args() {
      return records[0].args;
    },
    get output() {
      return records[0].output;
    },
    get expected() {
      return records[0].expected;
    },
    calls: records,
    caseName,
    visible,
    rng: createRng(`${seed}:check`),
    inputRng: () => createRng(seed),
    findings: visible ? findings : new Map<string, unknown>(),
  };
}
