import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoundedText, CallCapture, truncateText } from '../src/sandbox/output.ts';
import { openSession, PROJECT_ROOT, tempDir } from './helpers.ts';

describe('compiling a submission', () => {
  it('bundles the submission with its own sibling files and allowed packages', async () => {
    const dir = tempDir({
      'main.ts': "import { scale } from './lib/util.ts';\nimport seedrandom from 'seedrandom';\nexport const f = (x: number): number => scale(x) + seedrandom('a')() * 0;\n",
      'lib/util.ts': 'export const scale = (x: number): number => 3 * x;\n',
    });
    const session = await openSession(dir);
    try {
      expect(session.loadFailure).toBeUndefined();
      expect(session.exports).toEqual({ f: 'function' });
      expect((await session.call('f', [2], 2000)).outcome).toEqual({ kind: 'ok', value: 6 });
    } finally {
      session.close();
    }
  });

  it('reports a syntax error as "does not compile" with file and line', async () => {
    const session = await openSession(tempDir({ 'main.ts': 'export function f( {\n' }));
    expect(session.loadFailure?.stage).toBe('compile');
    expect(session.loadFailure?.message).toMatch(/^main\.ts does not compile:\nmain\.ts:\d+:\d+: /);
    session.close();
  });

  it('refuses imports that reach outside the submission', async () => {
    const solution = path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts');
    const cases = [
      `import * as s from '../../solutions/cnn-layers/layers.ts'; export const f = s;`,
      `import * as s from '${solution}'; export const f = s;`,
      `import * as s from '../../../grader/src/run/grade.ts'; export const f = s;`,
    ];
    for (const source of cases) {
      const session = await openSession(tempDir({ 'main.ts': source }));
      expect(session.loadFailure?.stage).toBe('compile');
      expect(session.loadFailure?.message).toMatch(/outside the submission folder|Could not resolve/);
      session.close();
    }
  });

  it('refuses packages the assignment does not allow, naming the allowed ones', async () => {
    const session = await openSession(tempDir({ 'main.ts': "import z from 'zod'; export const f = z;" }));
    expect(session.loadFailure?.message).toContain('main.ts imports "zod", which submissions cannot use in this assignment (allowed packages: seedrandom)');
    session.close();
  });

  it('says when the module is missing', async () => {
    const session = await openSession(tempDir({ 'other.ts': '' }));
    expect(session.loadFailure).toMatchObject({ stage: 'missing', message: expect.stringContaining('main.ts was not found') as string });
    session.close();
  });

  it('does not copy symbolic links, and says so', async () => {
    const dir = tempDir({ 'main.ts': 'export const f = (): number => 1;' });
    symlinkSync(path.join(PROJECT_ROOT, 'solutions'), path.join(dir, 'solutions'));
    const session = await openSession(dir);
    expect(session.warnings).toEqual(['solutions is a symbolic link and was not copied']);
    session.close();
  });
});

describe('running a submission', () => {
  it('reports a module that throws while loading', async () => {
    const session = await openSession(tempDir({ 'main.ts': "throw new Error('boom at import');" }));
    expect(session.loadFailure).toEqual({ stage: 'load', message: 'main.ts threw while loading: Error: boom at import' });
    session.close();
  });

  it('survives timeouts, crashes, exits and memory exhaustion, each failing only its own call', async () => {
    const dir = tempDir({
      'main.ts': `
        export const ok = (x: number): number => x + 1;
        export const spin = (): number => { for (;;) {} };
        export const never = (): Promise<number> => new Promise(() => {});
        export const exit = (): number => process.exit(0);
        export const hog = (): number => { const a: number[][] = []; for (;;) a.push(new Array(1e6).fill(1)); };
        export const throwsNumber = (): number => { throw 42; };
        export const throwsError = (): number => { throw new RangeError('bad range'); };
        export const rejects = (): Promise<number> => Promise.reject(new Error('async failure'));
        export const stray = (): number => { void Promise.reject(new Error('stray')); return 5; };
        export const fn = (): unknown => () => 1;
      `,
    });
    const session = await openSession(dir, { memoryMb: 200 });
    try {
      const run = async (name: string) => (await session.call(name, [1], 500)).outcome;
      expect(await run('ok')).toEqual({ kind: 'ok', value: 2 });
      // A generous backstop, so that a busy test machine cannot stop the loop on the wall clock first.
      expect((await session.call('spin', [1], { cpuMs: 500, backstopMs: 30_000 })).outcome).toEqual({
        kind: 'timeout',
        message: 'stopped after 0.5 s of CPU time (limit 0.5 s of CPU; wall-clock backstop 30 s)',
      });
      expect(await run('ok')).toEqual({ kind: 'ok', value: 2 });
      // Waiting uses no CPU: the wall-clock backstop (4 × 0.5 s) stops it.
      expect(await run('never')).toEqual({
        kind: 'timeout',
        message: expect.stringMatching(/^stopped after 2 s of wall-clock time without finishing \(wall-clock backstop 2 s; it had used 0\.\d s of CPU time, limit 0\.5 s\) — is it waiting or sleeping\?$/) as string,
      });
      expect(await run('exit')).toMatchObject({ kind: 'crash', message: expect.stringContaining('exit code 0') as string });
      expect((await session.call('hog', [], 20_000)).outcome).toEqual({ kind: 'memory', message: 'used more than 200 MB of memory and was stopped' });
      expect(await run('throwsNumber')).toEqual({ kind: 'error', message: 'a thrown number: 42' });
      expect(await run('throwsError')).toEqual({ kind: 'error', message: 'RangeError: bad range' });
      expect(await run('rejects')).toEqual({ kind: 'error', message: 'Error: async failure' });
      const stray = await session.call('stray', [], 500);
      expect(stray.outcome).toEqual({ kind: 'ok', value: 5 });
      expect(await run('fn')).toMatchObject({ kind: 'error', message: expect.stringContaining('cannot be copied out of the sandbox') as string });
      expect(await run('ok')).toEqual({ kind: 'ok', value: 2 });
    } finally {
      session.close();
    }
  });

  it('gives the child an empty environment and no way to write, spawn or read outside', async () => {
    const outside = path.join(os.tmpdir(), `mlgrade-escape-${process.pid}.txt`);
    const dir = tempDir({
      'main.ts': `
        import fs from 'node:fs';
        import cp from 'node:child_process';
        const attempt = (f: () => unknown): string => { try { f(); return 'allowed'; } catch (e) { return (e as { code?: string }).code ?? 'failed'; } };
        export const env = (): string[] => Object.keys(process.env);
        export const writeOutside = (): string => attempt(() => fs.writeFileSync(${JSON.stringify(outside)}, 'x'));
        export const writeInside = (): string => attempt(() => fs.writeFileSync('scratch.txt', 'x'));
        export const readSolution = (): string => attempt(() => fs.readFileSync(${JSON.stringify(path.join(PROJECT_ROOT, 'solutions/cnn-layers/layers.ts'))}));
        export const spawn = (): string => attempt(() => cp.execSync('true'));
        export const cwd = (): string => process.cwd();
      `,
    });
    const session = await openSession(dir);
    try {
      const value = async (name: string) => ((await session.call(name, [], 2000)).outcome as { value: unknown }).value;
      expect(await value('env')).toEqual([]);
      expect(await value('writeOutside')).toBe('ERR_ACCESS_DENIED');
      expect(existsSync(outside)).toBe(false);
      expect(await value('writeInside')).toBe('allowed');
      expect(await value('readSolution')).toBe('ERR_ACCESS_DENIED');
      expect(await value('spawn')).toBe('ERR_ACCESS_DENIED');
      expect(await value('cwd')).not.toBe(dir);
    } finally {
      session.close();
    }
  });

  it('captures printed output per call, truncated to the budget with a marker', async () => {
    const dir = tempDir({ 'main.ts': "export const loud = (): number => { console.log('x'.repeat(10000)); console.error('warned'); return 1; };\nexport const quiet = (): number => 2;" });
    const session = await openSession(dir, { outputBytes: 100 });
    try {
      const loud = await session.call('loud', [], 2000);
      expect(loud.stdout).toMatch(/^x{100}\n… \[output truncated: 9901 more bytes\]$/);
      expect(loud.stderr).toBe('warned\n');
      const quiet = await session.call('quiet', [], 2000);
      expect(quiet.stdout).toBe('');
    } finally {
      session.close();
    }
  });

  it('attributes output to the call that printed it, every time', async () => {
    const session = await openSession(tempDir({ 'main.ts': "export const say = (i: number): number => { console.log(`call ${i}`); process.stderr.write(`err ${i}`); return i; };" }));
    try {
      for (let i = 0; i < 50; i++) {
        const result = await session.call('say', [i], 2000);
        expect(result.stdout).toBe(`call ${i}\n`);
        expect(result.stderr).toBe(`err ${i}`);
      }
    } finally {
      session.close();
    }
  });

  it('passes typed arrays, -0 and nested data both ways', async () => {
    const session = await openSession(tempDir({ 'main.ts': 'export const echo = (x: unknown): unknown => x;' }));
    try {
      const input = { a: new Float64Array([1, 2]), b: -0, c: [[1], [2]] };
      const { outcome } = await session.call('echo', [input], 2000);
      expect(outcome).toEqual({ kind: 'ok', value: input });
      expect(Object.is((outcome as { value: { b: number } }).value.b, -0)).toBe(true);
    } finally {
      session.close();
    }
  });
});

describe('bounded output', () => {
  it('finds the end-of-call marker even when it is split across chunks', async () => {
    const capture = new CallCapture(100);
    capture.begin('<END>');
    const settled = capture.settled(10_000);
    capture.push(Buffer.from('hello <E'));
    capture.push(Buffer.from('ND>'));
    await settled;
    expect(capture.result()).toBe('hello ');
  });

  it('gives up waiting for a marker that never comes', async () => {
    const capture = new CallCapture(100);
    capture.begin('<END>');
    capture.push(Buffer.from('partial'));
    await capture.settled(10);
    expect(capture.result()).toBe('partial');
  });

  it('keeps at most the budget and counts the rest', () => {
    const text = new BoundedText(5);
    text.append('abc');
    text.append(Buffer.from('defgh'));
    expect(text.truncated).toBe(true);
    expect(text.text()).toBe('abcde\n… [output truncated: 3 more bytes]');
    expect(truncateText('abcdef', 3)).toBe('abc\n… [truncated: 3 more characters]');
    expect(truncateText('abc', 3)).toBe('abc');
  });
});

describe('workspaces', () => {
  it('are removed when the grader process ends through process.exit before removing them', () => {
    const submission = tempDir({ 'main.ts': 'export const x = 1;\n' });
    const script = tempDir({
      'package.json': '{ "type": "module" }\n',
      'leave.ts': `import { createWorkspace } from ${JSON.stringify(path.join(PROJECT_ROOT, 'grader/src/sandbox/workspace.ts'))};
const kept = createWorkspace(${JSON.stringify(submission)});
const removed = createWorkspace(${JSON.stringify(submission)});
removed.remove();
kept.childDir();
console.log(JSON.stringify([kept.root, removed.root]));
process.exit(3);
`,
    });
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(script, 'leave.ts')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(3);
    const roots = JSON.parse(run.stdout) as string[];
    expect(roots).toHaveLength(2);
    for (const root of roots) expect(existsSync(root), root).toBe(false);
  });
});
