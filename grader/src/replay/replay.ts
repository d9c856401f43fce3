import { readFileSync } from 'node:fs';
import { gunzipSync } from 'fflate';
import { callKey, decodeValue, type Encoded, type TensorFactory } from './encode.ts';
import { NotRecordedError } from './not-recorded.ts';

/**
 * Recorded answers, for the student copy of a course that `mlgrade export` builds. That copy
 * has no reference solution and no mistake files: in their place stand generated modules
 * whose functions look their answer up here, by a hash of their arguments. The answers were
 * recorded while exporting, by grading the visible cases of the reference, the starter and
 * every declared mistake with the real functions. A call that was not recorded (say, a check
 * that runs the reference on a student's own output) throws NotRecordedError, and grading
 * says the case is checked by the course's grader instead of guessing.
 */

/** One recorded answer. `async` when the function returned a promise. */
export interface RecordedAnswer {
  value: Encoded;
  async?: true;
}

export interface AnswerTable {
  version: 1;
  answers: Record<string, RecordedAnswer>;
}

/** Set by `mlgrade export` while it records: every replayed call goes to it instead. */
export interface Recorder {
  call(source: string, name: string, args: unknown[]): unknown;
}

const RECORDER = Symbol.for('mlgrade.replay.recorder');

export function setRecorder(recorder: Recorder | undefined): void {
  (globalThis as Record<symbol, unknown>)[RECORDER] = recorder;
}

function currentRecorder(): Recorder | undefined {
  return (globalThis as Record<symbol, Recorder | undefined>)[RECORDER];
}

const tables = new Map<string, Map<string, RecordedAnswer>>();

function table(file: string | URL): Map<string, RecordedAnswer> {
  let answers = tables.get(String(file));
  if (!answers) {
    const parsed = JSON.parse(new TextDecoder().decode(gunzipSync(readFileSync(file)))) as AnswerTable;
    if (parsed.version !== 1) throw new Error(`${String(file)}: recorded answers of an unknown version ${String(parsed.version)}; export the course again`);
    answers = new Map(Object.entries(parsed.answers));
    tables.set(String(file), answers);
  }
  return answers;
}

/**
 * The body of every replayed function: the recorded answer to these arguments (a fresh copy),
 * or NotRecordedError. `tableFile` is the assignment's answers file, `source` names the
 * module (`solution`, or `mistakes/<id>`).
 */
export function replayCall(tableFile: string | URL, source: string, name: string, args: ArrayLike<unknown>, tf?: TensorFactory): unknown {
  const list = Array.from(args);
  const recorder = currentRecorder();
  if (recorder) return recorder.call(source, name, list);
  const answer = table(tableFile).get(callKey(source, name, list));
  if (!answer) throw new NotRecordedError(`${name} was not recorded for these arguments`);
  const value = decodeValue(answer.value, tf);
  return answer.async ? Promise.resolve(value) : value;
}
