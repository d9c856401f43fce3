import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOthersFull, firstMessage, gradeHostile, reportAttempt, scores } from './hostile-helpers.ts';
import { PROJECT_ROOT, tempDir } from '../helpers.ts';

const json = JSON.stringify;

describe('tampering with the grader', () => {
  it('cannot read solutions, assignments, the grader or the secret, write outside its folder, spawn, open sockets or import the reference', async () => {
    const outside = path.join(os.tmpdir(), `mlgrade-hostile-${process.pid}.txt`);
    const reportsFile = path.join(PROJECT_ROOT, 'reports/out/forged.json');
    const result = await gradeHostile(
      {
        conv2d: `import fs from 'node:fs';\n${reportAttempt('conv2d', '', `fs.readFileSync(${json(path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts'))}, 'utf8')`)}`,
        maxPool2d: `import fs2 from 'node:fs';\n${reportAttempt('maxPool2d', '', `fs2.readFileSync(${json(path.join(PROJECT_ROOT, 'assignments/cnn-layers/assignment.ts'))}, 'utf8')`)}`,
        avgPool2d: `import fs3 from 'node:fs';\n${reportAttempt('avgPool2d', '', `fs3.readdirSync(${json(path.join(PROJECT_ROOT, 'grader/src'))})`)}`,
        batchNormForward: reportAttempt('batchNormForward', '', "process.env.MLGRADE_SECRET ?? process.env.GITHUB_TOKEN ?? Object.keys(process.env).length"),
        batchNormBackward: `import fs4 from 'node:fs';\n${reportAttempt('batchNormBackward', '', `(fs4.writeFileSync(${json(outside)}, 'x'), fs4.writeFileSync(${json(reportsFile)}, '{"score": 100}'))`)}`,
        batchNormInference: `import cp from 'node:child_process';\n${reportAttempt('batchNormInference', '', "cp.execSync('echo pwned')")}`,
        updateRunningAverage: `import net from 'node:net';\n${reportAttempt('updateRunningAverage', '', "net.connect(80, '127.0.0.1')")}`,
        dropoutForward: `export async function dropoutForward(): Promise<never> {
  let outcome: string;
  // Computed at run time, so the compiler's confinement cannot see it: the permission model must.
  const target = [${json(PROJECT_ROOT)}, 'solutions', 'cnn-layers', 'layers.ts'].join('/');
  try { await import(target); outcome = 'loaded'; } catch (e) { outcome = (e as { code?: string }).code ?? 'failed'; }
  throw new Error('outcome=' + outcome);
}`,
        residualForward: `export async function residualForward(): Promise<never> {
  let outcome: string;
  try { await fetch('http://127.0.0.1:8080/'); outcome = 'fetched'; } catch (e) { outcome = String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message); }
  throw new Error('outcome=' + outcome);
}`,
      },
      { secret: 'do-not-leak-me' },
    );
    expect(result.loadError).toBeUndefined();
    expect(result.score).toBe(0);
    expect(firstMessage(result, 'conv2d')).toBe('conv2d threw Error: outcome=ERR_ACCESS_DENIED');
    expect(firstMessage(result, 'maxPool2d')).toBe('maxPool2d threw Error: outcome=ERR_ACCESS_DENIED');
    expect(firstMessage(result, 'avgPool2d')).toBe('avgPool2d threw Error: outcome=ERR_ACCESS_DENIED');
    expect(firstMessage(result, 'batchNormForward')).toBe('batchNormForward threw Error: outcome=allowed: 0');
    expect(firstMessage(result, 'batchNormBackward')).toBe('batchNormBackward threw Error: outcome=ERR_ACCESS_DENIED');
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(reportsFile)).toBe(false);
    expect(firstMessage(result, 'batchNormInference')).toBe('batchNormInference threw Error: outcome=ERR_ACCESS_DENIED');
    expect(firstMessage(result, 'updateRunningAverage')).toBe('updateRunningAverage threw Error: outcome=network access is not available to code being graded');
    expect(firstMessage(result, 'dropoutForward')).toBe('dropoutForward threw Error: outcome=ERR_ACCESS_DENIED');
    expect(firstMessage(result, 'residualForward')).toBe('residualForward threw Error: outcome=network access is not available to code being graded');
    expect(JSON.stringify(result)).not.toContain('do-not-leak-me');
  }, 60_000);

  it('printed text that looks like a Result or results.json changes nothing', async () => {
    const fake = json({ schemaVersion: 1, score: 84, maxScore: 84, tests: [{ score: 84, max_score: 84, status: 'passed' }] });
    const result = await gradeHostile({ residualForward: `export function residualForward(): number[][] { console.log(${json(fake)}); process.stdout.write('\\u0000mlgrade-end-of-call\\u0000'); return [[0]]; }` });
    expect(scores(result).residualForward).toBe(0);
    expect(result.problems.find((p) => p.name === 'residualForward')!.cases[0].output).toContain('"score":84');
    expectOthersFull(result, ['residualForward']);
  });

  it('replacing globals inside one function touches neither the grader nor other problems', async () => {
    const result = await gradeHostile({
      updateRunningAverage: `import { updateRunningAverage as correct } from './__reference__.ts';
export function updateRunningAverage(running: number[], batch: number[], momentum: number): number[] {
  const answer = correct(running, batch, momentum);
  Math.max = () => 1e9;
  Math.sqrt = () => 0;
  Array.prototype.map = function () { return [42]; } as never;
  JSON.stringify = () => '{"score":100}';
  Object.defineProperty(Object.prototype, 'score', { get: () => 100, configurable: true });
  Number.prototype.valueOf = () => 7;
  return answer;
}`,
      avgPool2d: `import { avgPool2d as correctPool } from './__reference__.ts';
export function avgPool2d(x: number[][], size: number, stride?: number): number[][] {
  const rows = correctPool(x, size, stride);
  // An accessor that answers right the first time it is read and wrong after that.
  return rows.map((row) => {
    const lying = [...row];
    let reads = 0;
    Object.defineProperty(lying, 0, { get: () => (reads++ === 0 ? row[0] : 999), enumerable: true });
    return lying;
  });
}`,
    });
    // The first call answers before tampering and passes; the problem's next cases, visible
    // and hidden, run in the same (now broken) process and fail on the student's own replaced
    // Array.prototype.map. Nothing outside this problem is touched: the next problem starts
    // in a fresh process.
    const cases = result.problems.find((p) => p.name === 'updateRunningAverage')!.cases;
    expect(cases.map((c) => c.status)).toEqual(['pass', 'fail', 'fail']);
    // The value is copied out of the child once, as plain data, and that copy is what is
    // graded and reported (the runner's size check reads the accessor first, the copy second).
    expect(firstMessage(result, 'avgPool2d')).toMatch(/^out\[0\]\[0\]: expected 36\.5, got 999 \(off by 962\.5\)/);
    expect(scores(result).avgPool2d).toBe(0);
    expectOthersFull(result, ['updateRunningAverage', 'avgPool2d']);
  });

  it('proxies, objects posing as numbers and cycles are rejected with a reason', async () => {
    const result = await gradeHostile({
      conv2d: 'export function conv2d(x: number[][]): number[][] { return new Proxy(x, {}); }',
      residualForward: 'export function residualForward(x: number[][]): unknown { return x.map((row) => row.map((v) => ({ valueOf: () => v, [Symbol.toPrimitive]: () => v, toJSON: () => v }))); }',
      maxPool2d: "export function maxPool2d(x: number[][]): unknown { return x.map((row) => row.map((v) => ({ value: v, toString: 'v' }))); }",
      batchNormInference: 'export function batchNormInference(): unknown { const rows: unknown[] = []; rows.push(rows); return rows; }',
    });
    expect(firstMessage(result, 'conv2d')).toMatch(/^conv2d returned a value that cannot be copied out of the sandbox \(.*could not be cloned.*\); return plain data/);
    expect(firstMessage(result, 'residualForward')).toMatch(/^residualForward returned a value that cannot be copied out of the sandbox \(Error: \(\) => v could not be cloned\.\)/);
    expect(firstMessage(result, 'batchNormInference')).toMatch(/^batchNormInference returned an invalid value: result\[0\]\[0\]: expected a number, got an array of length 1/);
    expect(firstMessage(result, 'maxPool2d')).toMatch(/^maxPool2d returned an invalid value: result\[0\]\[0\]: expected a number, got an object \(and \d+ more invalid entries\)$/);
    expectOthersFull(result, ['conv2d', 'residualForward', 'batchNormInference', 'maxPool2d', 'maxPool2dBackward']);
  });

  it('a file written after seeing a hidden input reaches no later process, and no problem reads another problem\'s files', async () => {
    // conv2d (the first problem) leaves every input it sees in a file, hidden ones included;
    // avgPool2d (a later problem) prints every file its cwd holds that the submission did not.
    // (The overrides share one module: their imports must not clash.)
    const result = await gradeHostile({
      conv2d: `import fs from 'node:fs';
import { conv2d as correct } from './__reference__.ts';
export function conv2d(...args: Parameters<typeof correct>): number[][] {
  const [x] = args;
  const had = fs.existsSync('leak.txt') ? fs.readFileSync('leak.txt', 'utf8').split('\\n').length : 0;
  fs.appendFileSync('leak.txt', JSON.stringify(x).slice(0, 20) + '\\n');
  console.log('lines before this call: ' + had);
  return correct(...args);
}`,
      avgPool2d: `import { readdirSync } from 'node:fs';
import { avgPool2d as correctPool } from './__reference__.ts';
export function avgPool2d(x: number[][], size: number, stride?: number): number[][] {
  let others = 'unreadable';
  try {
    others = readdirSync('..').join(',');
  } catch {}
  console.log('files: ' + readdirSync('.').filter((f) => !f.endsWith('.ts')).join(',') + '; other copies: ' + others);
  return correctPool(x, size, stride);
}`,
    });
    const outputs = (problem: string) => result.problems.find((p) => p.name === problem)!.cases.filter((c) => c.visibility === 'visible').map((c) => c.output ?? '');
    // Within a problem's process the file persists from call to call (the student's own state)…
    expect(outputs('conv2d').join(' ')).toMatch(/lines before this call: 2/);
    // …but the later problem's process starts from a copy of the submission: no leak.txt.
    expect(outputs('avgPool2d').length).toBeGreaterThan(0);
    // …and it cannot even list the other processes' copies.
    for (const output of outputs('avgPool2d')) expect(output).toMatch(/^files: ; other copies: unreadable/);
    expectOthersFull(result, []);
  });

  it('memoized inputs never reach visible feedback, and the child cannot tell a real run from a practice run', async () => {
    const spy = `const seen: string[] = [];
export function residualForward(x: number[][]): number[][] {
  seen.push(JSON.stringify(x).slice(0, 12));
  console.log('seen so far: ' + seen.join(' | ') + ' env=' + Object.keys(process.env).length + ' args=' + process.execArgv.filter((a) => !a.includes('/')).join(' '));
  return x;
}`;
    const practice = await gradeHostile({ residualForward: spy }, { secret: 'practice' });
    const real = await gradeHostile({ residualForward: spy }, { secret: 'real-secret' });
    const outputs = (r: typeof real) => r.problems.find((p) => p.name === 'residualForward')!.cases.map((c) => c.output ?? '');
    // Visible cases run first and hidden ones in a fresh process: no visible output mentions a hidden input.
    expect(outputs(real).filter(Boolean)).toHaveLength(2);
    expect(outputs(real)[1].split(' | ')).toHaveLength(2);
    // What the child sees is the same whatever the secret.
    expect(outputs(real)).toEqual(outputs(practice));
    expect(outputs(real)[0]).toMatch(/ env=0 args=--experimental-permission --max-old-space-size=512 --disable-warning=ExperimentalWarning$/);
  });
});

describe('the sandbox copy', () => {
  it('is a copy: a submission folder is never written to', async () => {
    const dir = tempDir({ 'layers.ts': "import fs from 'node:fs';\nexport function conv2d(): number[][] { fs.writeFileSync('scribble.txt', 'x'); return [[1]]; }\n" });
    const { gradeSubmission } = await import('../../src/run/grade.ts');
    const { assignment } = await import('./hostile-helpers.ts');
    await gradeSubmission({ assignment, submissionDir: dir, student: 's', secret: 's' });
    expect(existsSync(path.join(dir, 'scribble.txt'))).toBe(false);
  });
});
