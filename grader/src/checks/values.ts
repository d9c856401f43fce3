import { z } from 'zod';
import { describeValue, formatPath } from './path.ts';

/**
 * Schemas for values that come back from student code. They check type, shape and
 * finiteness, give messages with the exact place (`out[3][1]: expected a finite number, got
 * NaN`), and return a fresh, normalized copy (typed-array rows become plain arrays), so no
 * check ever touches the object the sandbox produced.
 */

function isTypedNumberArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function arrayOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (isTypedNumberArray(value) ? Array.from(value) : value),
    z.array(item, { error: (issue) => `expected an array, got ${describeValue(issue.input)}` }),
  );
}

/** A finite number (NaN, ±Infinity, strings and booleans are rejected). */
export const finiteNumber = z.unknown().transform((value, ctx): number => {
  if (typeof value !== 'number') {
    ctx.addIssue(`expected a number, got ${describeValue(value)}`);
    return z.NEVER;
  }
  if (!Number.isFinite(value)) {
    ctx.addIssue(`expected a finite number, got ${describeValue(value)}`);
    return z.NEVER;
  }
  return value;
});

export const vector = arrayOf(finiteNumber);

/** A rectangular matrix: an array of rows of equal length. */
export const matrix = arrayOf(vector).superRefine((rows, ctx) => {
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      ctx.addIssue({
        // Stryker disable next-line StringLiteral: zod's types need the code; validateValue reports only the message and the path
        code: 'custom',
        path: [i],
        message: `row ${i} has ${row.length} entries but row 0 has ${width}; a matrix must be rectangular`,
      });
    }
  });
});

/** A list of strings (tokens, words). */
export const strings = z.array(
  z.string({ error: (issue) => `expected a string, got ${describeValue(issue.input)}` }),
  { error: (issue) => `expected an array of strings, got ${describeValue(issue.input)}` },
);

export const boolean = z.boolean({ error: (issue) => `expected true or false, got ${describeValue(issue.input)}` });

/** An object with exactly these keys checked (extra keys are dropped from the copy). */
export function record<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, { error: (issue) => `expected an object, got ${describeValue(issue.input)}` });
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string; path: string };

/** Validates a returned value; the message names the first problem and where it is. */
export function validateValue<T>(schema: z.ZodType<T>, value: unknown, root = 'result'): ValidationResult<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = formatPath(root, issue.path);
  const message = issue.message;
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more invalid entries)` : '';
  return { ok: false, message: `${path}: ${message}${more}`, path };
}
