import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssignmentSpec } from '../src/assignment/define.ts';
import { renderHandout } from '../src/assignment/handout.ts';
import { AssignmentError, loadAssignment } from '../src/assignment/load.ts';
import { generateCalls } from '../src/cases/calls.ts';
import { variantFor } from '../src/cases/variant.ts';
import { caseSeed } from '../src/run/seeds.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const cnn = await loadAssignment('cnn-layers');
const STUDENTS = Array.from({ length: 12 }, (_, i) => `student-${i + 1}`);

/** A spec with only what variantFor reads. */
const withVariant = (variant: AssignmentSpec['variant']): AssignmentSpec => ({ id: 'v', title: 'V', module: 'v.ts', problems: [], variant });

describe('variantFor', () => {
  it('is a function of the student and the seed, differs between students, and is the empty variant without a generator', () => {
    const variants = STUDENTS.map((s) => variantFor(cnn.spec, s, '0'));
    expect(variantFor(cnn.spec, 'student-1', '0')).toEqual(variants[0]);
    expect(new Set(variants.map((v) => JSON.stringify(v))).size).toBeGreaterThan(1);
    for (const v of variants) {
      expect([2, 3]).toContain(v.poolSize);
      expect([1, 2, 3]).toContain(v.poolStride);
    }
    expect(STUDENTS.some((s) => JSON.stringify(variantFor(cnn.spec, s, '1')) !== JSON.stringify(variantFor(cnn.spec, s, '0')))).toBe(true);
    expect(variantFor(withVariant(undefined), 'anyone', '0')).toEqual({});
    expect(Object.isFrozen(variants[0])).toBe(true);
  });

  it('refuses a generator that fails or makes anything but named numbers, strings and booleans', () => {
    expect(() => variantFor(withVariant(() => { throw new Error('boom'); }), 's', '0')).toThrow('v: the variant generator failed: boom');
    expect(() => variantFor(withVariant(() => [1] as never), 's', '0')).toThrow('v: the variant generator must return an object of named parameters');
    expect(() => variantFor(withVariant(() => ({ k: Number.NaN })), 's', '0')).toThrow('v: variant parameter "k" must be a finite number, a string or a boolean, not NaN');
    expect(() => variantFor(withVariant(() => ({ sizes: [1, 2] as never })), 's', '0')).toThrow(AssignmentError);
    expect(variantFor(withVariant(() => ({ k: 3, name: 'x', big: true })), 's', '0')).toEqual({ k: 3, name: 'x', big: true });
  });
});

describe('a variant in cases and handouts', () => {
  const problem = cnn.spec.problems.find((p) => p.export === 'maxPool2d')!;
  const c = problem.cases.find((k) => k.name.startsWith("your variant's"))!;

  it("gives each student's case the student's size and stride", () => {
    for (const student of STUDENTS.slice(0, 4)) {
      const variant = variantFor(cnn.spec, student, '0');
      const seed = caseSeed('visible', { assignment: 'cnn-layers', problem: 'maxPool2d', caseName: c.name, student, seed: '0', secret: 'x' });
      const [[x, size, stride]] = generateCalls('cnn-layers', problem, c, seed, variant) as Array<[number[][], number, number]>;
      expect([x.length, x[0].length, size, stride]).toEqual([7, 9, variant.poolSize, variant.poolStride]);
    }
  });

  it("states the student's own parameters in the handout, and refuses a parameter the variant does not make", async () => {
    for (const student of STUDENTS.slice(0, 4)) {
      const variant = variantFor(cnn.spec, student, '0');
      const text = renderHandout(cnn, { student });
      expect(text).toContain(`**Your variant** (student \`${student}\`)`);
      expect(text).toContain(`$\\text{size} = ${variant.poolSize}$,\n$s = ${variant.poolStride}$`);
    }
    const root = tempDir({
      'assignments/tiny/assignment.ts': `import { defineAssignment, problem } from ${JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/assignment/define.ts'))};
import { finiteNumber } from ${JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/checks/values.ts'))};
import { pass } from ${JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/checks/verdict.ts'))};
export default defineAssignment({ id: 'tiny', title: 'Tiny', module: 'm.ts', variant: (rng) => ({ k: rng.int(1, 9) }),
  problems: [problem({ export: 'f', title: 'F', points: 1, reference: (x: number) => x, output: finiteNumber, cases: [{ name: 'a', args: (rng, v) => [rng.uniform(0, 1) + (v.k as number)] }], check: () => pass() })] });
`,
      'assignments/tiny/handout.md.hbs': 'k is {{variant.k}}, m is {{variant.m}}\n',
    });
    const tiny = await loadAssignment('tiny', root);
    expect(() => renderHandout(tiny, { student: 's' })).toThrow('assignments/tiny/handout.md.hbs: names variant parameter "m", which the assignment\'s variant generator does not make');
    writeFileSync(path.join(root, 'assignments/tiny/handout.md.hbs'), 'k is {{variant.k}}\n');
    expect(renderHandout(tiny, { student: 's' })).toBe(`k is ${variantFor(tiny.spec, 's', '0').k}\n`);
    expect(() => renderHandout(cnn, { student: 's' })).not.toThrow();
  });
});
