import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../src/assignment/load.ts';
import { gradeSubmission } from '../../src/run/grade.ts';
import { tempDir } from '../helpers.ts';
import { expectOthersFull, firstMessage, FULL, gradeHostile, scores } from './hostile-helpers.ts';

// A WebAssembly module exporting `spin`, a function that loops forever: (loop $l (br $l)).
const SPIN_WASM = '[0,97,115,109,1,0,0,0,1,4,1,96,0,0,3,2,1,0,7,8,1,4,115,112,105,110,0,0,10,9,1,7,0,3,64,12,0,11,11]';

describe('hostile control flow', () => {
  // Code that mostly waits runs to the wall-clock backstop (8 s) on every case of its problem:
  // about half a minute for each of the two waiting problems, with the CPU idle. The three
  // gradings below run side by side, so those waits overlap (82 s for one grading of all
  // eight, 35 s for these three side by side, 2026-12-01).
  it.concurrent('loops (sync, inside wasm), recursion, exits and kills each cost only their own problem', async () => {
    const result = await gradeHostile({
      conv2d: 'export function conv2d(): number[][] { for (;;) { /* spin */ } }',
      batchNormBackward: `export function batchNormBackward(): never {
  const module = new WebAssembly.Module(new Uint8Array(${SPIN_WASM}));
  (new WebAssembly.Instance(module).exports.spin as () => void)();
  throw new Error('unreachable');
}`,
      batchNormInference: 'export function batchNormInference(z: number[][]): number[][] { return batchNormInference(z); }',
      updateRunningAverage: 'export function updateRunningAverage(): number[] { process.exit(1); }',
      dropoutForward: "export function dropoutForward(): never { process.kill(process.pid, 'SIGKILL'); throw new Error('still alive'); }",
      residualForward: "export function residualForward(): never { process.kill(process.ppid, 'SIGKILL'); throw new Error('still alive'); }",
    });
    const hostile = ['conv2d', 'batchNormBackward', 'batchNormInference', 'updateRunningAverage', 'dropoutForward', 'residualForward'];
    for (const name of hostile) expect(scores(result)[name], name).toBe(0);
    expectOthersFull(result, hostile);
    // Loops that compute run out of CPU time (2 s), long before the wall-clock backstop (8 s).
    expect(firstMessage(result, 'conv2d')).toBe('conv2d stopped after 2 s of CPU time (limit 2 s of CPU; wall-clock backstop 8 s)');
    expect(firstMessage(result, 'batchNormBackward')).toBe('batchNormBackward stopped after 2 s of CPU time (limit 2 s of CPU; wall-clock backstop 8 s)');
    expect(firstMessage(result, 'batchNormInference')).toBe('batchNormInference threw RangeError: Maximum call stack size exceeded');
    expect(firstMessage(result, 'updateRunningAverage')).toBe("the submission's process ended unexpectedly (exit code 1) — does it call process.exit, or crash?");
    expect(firstMessage(result, 'dropoutForward')).toBe('dropoutForward threw Error: process.kill is not available to code being graded');
    expect(firstMessage(result, 'residualForward')).toBe('residualForward threw Error: process.kill is not available to code being graded');
  }, 240_000);

  // Code that mostly waits (on timers, or on a promise that never settles) uses little CPU and
  // is stopped by the wall-clock backstop.
  const waited = (name: string) => new RegExp(`^${name} stopped after 8 s of wall-clock time without finishing \\(wall-clock backstop 8 s; it had used \\d+\\.\\d s of CPU time, limit 2 s\\) — is it waiting or sleeping\\?$`);
  it.concurrent.each([
    ['avgPool2d', 'export async function avgPool2d(): Promise<number[][]> { for (;;) await new Promise((r) => setTimeout(r, 0)); }'],
    ['batchNormForward', 'export function batchNormForward(): Promise<never> { return new Promise(() => undefined); }'],
  ])('%s: waiting forever costs only its own problem', async (name, source) => {
    const result = await gradeHostile({ [name]: source });
    expect(scores(result)[name]).toBe(0);
    expectOthersFull(result, [name]);
    expect(firstMessage(result, name)).toMatch(waited(name));
  }, 240_000);

  it('reports thrown non-Errors and survives unhandled rejections', async () => {
    const result = await gradeHostile({
      conv2d: 'export function conv2d(): never { throw 42; }',
      avgPool2d: "export function avgPool2d(): never { throw { toString() { return 'I am an Error, honest'; }, message: 'lies' }; }",
      batchNormForward: 'export function batchNormForward(): never { throw undefined; }',
      batchNormInference: "export function batchNormInference(): never { throw 'just a string'; }",
      residualForward: `import { residualForward as correct } from './__reference__.ts';
export function residualForward(x: number[][], w1: number[][], w2: number[][]): number[][] {
  void Promise.reject(new Error('nobody catches this'));
  return correct(x, w1, w2);
}`,
    });
    expect(firstMessage(result, 'conv2d')).toBe('conv2d threw a thrown number: 42');
    expect(firstMessage(result, 'avgPool2d')).toBe('avgPool2d threw a thrown value: {"message":"lies"}');
    expect(firstMessage(result, 'batchNormForward')).toBe('batchNormForward threw a thrown undefined: undefined');
    expect(firstMessage(result, 'batchNormInference')).toBe('batchNormInference threw a thrown string: just a string');
    expect(scores(result).residualForward).toBe(FULL.residualForward);
    expectOthersFull(result, ['conv2d', 'avgPool2d', 'batchNormForward', 'batchNormInference']);
  });

  it('fails every problem once, clearly, for a module that throws at import or does not compile, and reports missing or mistyped exports', async () => {
    const grade = async (source: string) =>
      gradeSubmission({ assignment: await loadAssignment('cnn-layers'), submissionDir: tempDir({ 'layers.ts': source }), student: 'hostile', secret: 's' });
    const throwsAtImport = await grade("throw new Error('no import for you');");
    expect(throwsAtImport.score).toBe(0);
    expect(throwsAtImport.loadError).toBe('layers.ts threw while loading: Error: no import for you');
    const broken = await grade('export function conv2d(x: number[][] { return x; }');
    expect(broken.loadError).toMatch(/^layers\.ts does not compile:\nlayers\.ts:1:\d+: Expected "\)" but found "\{"/);
    const wrongTypes = await grade("export const conv2d = 'conv2d';\nexport const maxPool2d = { call: () => [[1]] };\nexport class avgPool2d {}\n");
    expect(firstMessage(wrongTypes, 'conv2d')).toBe('conv2d is exported as a string, not a function');
    expect(firstMessage(wrongTypes, 'maxPool2d')).toBe('maxPool2d is exported as an object, not a function');
    expect(firstMessage(wrongTypes, 'avgPool2d')).toBe('avgPool2d threw TypeError: Class constructor avgPool2d cannot be invoked without \'new\'');
    expect(firstMessage(wrongTypes, 'residualForward')).toBe('layers.ts does not export residualForward');
  });
});
