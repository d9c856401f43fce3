import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, PROJECT_ROOT } from '../src/assignment/load.ts';
import { checkRanges, ENGINE_SCOPE, mutationPasses, mutationScope } from '../src/mutation/scope.ts';
import { fileScores, formatScoreTable, mergeReports, type MutationReport, undetectedMutants } from '../src/mutation/summary.ts';
import { tempDir } from './helpers.ts';

const PCA = 'assignments/pca/assignment.ts';
const pcaLines = readFileSync(path.join(PROJECT_ROOT, PCA), 'utf8').split('\n');

/** The 1-based line of the first line at or after `from` that contains `text`. */
function lineOf(text: string, from = 1): number {
  const index = pcaLines.findIndex((line, i) => i >= from - 1 && line.includes(text));
  if (index < 0) throw new Error(`no line with ${text} in ${PCA}`);
  return index + 1;
}

/** Parses `file:line:column-line:column` entries of one file. */
function rangesOf(scope: string[], file: string) {
  return scope
    .filter((entry) => entry.startsWith(`${file}:`))
    .map((entry) => {
      const [startLine, startColumn, endLine, endColumn] = /:(\d+):(\d+)-(\d+):(\d+)$/.exec(entry)!.slice(1).map(Number);
      return { startLine, startColumn, endLine, endColumn };
    });
}

/** Whether some range covers all of line `line` from its first non-blank character to its end. */
function coversLine(ranges: ReturnType<typeof rangesOf>, line: number, fromText: string): boolean {
  const text = pcaLines[line - 1];
  const start = text.indexOf(fromText);
  const end = text.trimEnd().replace(/,$/, '').length;
  return ranges.some((r) => (r.startLine < line || (r.startLine === line && r.startColumn <= start)) && (r.endLine > line || (r.endLine === line && r.endColumn >= end)));
}

const touchesLine = (ranges: ReturnType<typeof rangesOf>, line: number) => ranges.some((r) => r.startLine <= line && line <= r.endLine);

describe('mutationScope', () => {
  it('limits `-- pca` to pca: its checks.ts and the check code of its assignment.ts', () => {
    const scope = mutationScope(PROJECT_ROOT, ['pca']);
    expect(scope[0]).toBe('assignments/pca/checks.ts');
    expect(scope.slice(1).every((entry) => entry.startsWith(`${PCA}:`))).toBe(true);
    const ranges = rangesOf(scope, PCA);

    // The svd problem's check, from the arrow function to its closing brace.
    const svdCheck = lineOf('check: ({ args: [X], output, expected, caseName, visible }) => {');
    expect(coversLine(ranges, svdCheck, '({ args')).toBe(true);
    expect(touchesLine(ranges, lineOf('return { ...verdict, figures: drawn(() => spectrumFigures(', svdCheck))).toBe(true);
    // The 'pca-not-centred' detector, and uncentredDirections, the helper it calls.
    const notCentred = lineOf('matches:', lineOf("id: 'pca-not-centred'"));
    expect(coversLine(ranges, notCentred, '({ args')).toBe(true);
    expect(touchesLine(ranges, lineOf('uncentredDirections(X', notCentred))).toBe(true);
    expect(coversLine(ranges, lineOf('function uncentredDirections('), 'function')).toBe(true);
    // A detector written as a call (sameAs(...)) is check code too.
    expect(coversLine(ranges, lineOf('matches: sameAs(eckartYoungFromK.eckartYoungError)'), 'sameAs')).toBe(true);

    // Not the property name, not the cases' generators, not the reference or the problem's other fields.
    expect(ranges.some((r) => r.startLine === svdCheck && r.startColumn <= pcaLines[svdCheck - 1].indexOf('check:'))).toBe(false);
    for (const caseLine of [lineOf("{ name: 'tall 6×4', args:"), lineOf("{ name: 'wide 4×7', args:"), lineOf('args: (rng) => [withSpectrum(rng, rng.int(3, 30)')]) {
      expect(touchesLine(ranges, caseLine), `line ${caseLine}: ${pcaLines[caseLine - 1].trim()}`).toBe(false);
    }
    expect(touchesLine(ranges, lineOf('reference: reference.svd,'))).toBe(false);
    // Helpers only the case generators use are not check code.
    expect(touchesLine(ranges, lineOf('function sortedSpectrum('))).toBe(false);
    expect(touchesLine(ranges, lineOf('function randomRatios('))).toBe(false);
  });

  it('covers the engine, every assignment, the linear algebra the checks use (not the SVD) and the late policy', () => {
    const scope = mutationScope(PROJECT_ROOT);
    expect(scope.slice(0, ENGINE_SCOPE.length)).toEqual(['grader/src/checks/**/*.ts', 'grader/src/linalg/dense.ts', 'grader/src/linalg/subspace.ts', 'grader/src/result/late.ts']);
    expect(scope).toContain('assignments/pca/checks.ts');
    expect(scope.some((entry) => entry.startsWith('assignments/cnn-layers/assignment.ts:'))).toBe(true);
    expect(scope.some((entry) => entry.includes('svd.ts'))).toBe(false);
    expect(mutationScope(PROJECT_ROOT, [])).toEqual(scope);
  });

  it('runs the engine and the assignments as two passes, only the second for `-- <assignment>`, only the first for `-- --engine`', () => {
    const passes = mutationPasses(PROJECT_ROOT);
    expect(passes.map((p) => p.name)).toEqual(['engine', 'assignments']);
    expect(passes[0].mutate).toEqual(ENGINE_SCOPE);
    expect([...passes[0].mutate, ...passes[1].mutate]).toEqual(mutationScope(PROJECT_ROOT));
    const pca = { name: 'assignments', mutate: mutationScope(PROJECT_ROOT, ['pca']) };
    expect(mutationPasses(PROJECT_ROOT, ['pca'])).toEqual([pca]);
    expect(mutationPasses(PROJECT_ROOT, [], { engine: true })).toEqual([passes[0]]);
    expect(mutationPasses(PROJECT_ROOT, ['pca'], { engine: true })).toEqual([passes[0], pca]);
  });

  it("takes the check code of an assignment's problem files too (problems/*.ts, as mlgrade new-problem writes them)", async () => {
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const { newAssignment } = await import('../src/scaffold/scaffold.ts');
    const root = tempDir({}, 'mlgrade-scope-');
    mkdirSync(path.join(root, 'grader'));
    symlinkSync(path.join(PROJECT_ROOT, 'grader', 'src'), path.join(root, 'grader', 'src'));
    newAssignment(root, 'text-demo', 'text.ts');
    const scope = mutationScope(root, ['text-demo']);
    const file = 'assignments/text-demo/problems/example.ts';
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    const ranges = rangesOf(scope, file);
    // The check and the mistake's detector, and nothing else of the file.
    expect(ranges.map((r) => lines[r.startLine - 1].trim())).toEqual([
      'check: ({ output, expected }) => allClose(output, expected, { name: \'out\' }),',
      'matches: sameAs(exampleMistake.example),',
    ]);
  });

  it('refuses an unknown assignment, naming the known ones', () => {
    expect(() => mutationScope(PROJECT_ROOT, ['nope'])).toThrow(AssignmentError);
    expect(() => mutationScope(PROJECT_ROOT, ['nope'])).toThrow(/no assignment "nope"; known assignments: .*pca/);
  });
});

describe('checkRanges', () => {
  const source = [
    /* 1 */ 'function helper(x: number) { return inner(x); }',
    /* 2 */ 'const inner = (x: number) => x + 1;',
    /* 3 */ 'function generate() { return 3; }',
    /* 4 */ 'function matches() { return true; }',
    /* 5 */ 'const spec = {',
    /* 6 */ '  cases: [{ args: () => [generate()] }],',
    /* 7 */ '  check: ({ output }: { output: number }) => helper(output) > 0 && spec.generate !== undefined,',
    /* 8 */ '  check2: () => 1,',
    /* 9 */ '  mistakes: [{ matches }, { "matches": () => false }],',
    /* 10 */ '  other: { check(x: number) { return x; } },',
    /* 11 */ '};',
  ].join('\n');
  const ranges = checkRanges('x.ts', source);
  /** Where `text` stands on line `line` of the source (columns from 0, end exclusive). */
  const span = (line: number, text: string) => {
    const startColumn = source.split('\n')[line - 1].indexOf(text);
    return { startLine: line, startColumn, endLine: line, endColumn: startColumn + text.length };
  };

  it("selects check and matches values (also shorthand, quoted and method forms) and the helpers they call, through helpers' helpers", () => {
    expect(ranges).toEqual([
      span(1, 'function helper(x: number) { return inner(x); }'), // called by the check
      span(2, '(x: number) => x + 1'), // inner, called by helper
      span(4, 'function matches() { return true; }'), // by shorthand
      span(7, '({ output }: { output: number }) => helper(output) > 0 && spec.generate !== undefined'),
      span(9, '() => false'),
      span(10, 'check(x: number) { return x; }'),
    ]);
  });
});

describe('the mutation report summary', () => {
  const mutant = (id: string, status: string, line: number, column: number, endColumn: number, mutatorName = 'EqualityOperator', replacement = 'a > b') =>
    ({ id, status, mutatorName, replacement, location: { start: { line, column }, end: { line, column: endColumn } } }) as MutationReport['files'][string]['mutants'][number];
  const report: MutationReport = {
    files: {
      'b.ts': { source: 'const x = 1;\nreturn a >= b;\n', mutants: [mutant('1', 'Killed', 2, 8, 14), mutant('2', 'Survived', 2, 8, 14), mutant('3', 'Timeout', 2, 1, 15)] },
      'a.ts': { source: 'f();\n', mutants: [mutant('4', 'NoCoverage', 1, 1, 4, 'BlockStatement', '{}'), mutant('5', 'Ignored', 1, 1, 4)] },
    },
  };

  it('scores each file as detected over valid mutants, like Stryker', () => {
    const { files, total } = fileScores(report);
    expect(files.map((f) => [f.file, f.killed, f.survived, f.timeout, f.noCoverage, f.other, f.score])).toEqual([
      ['a.ts', 0, 0, 0, 1, 1, 0],
      ['b.ts', 1, 1, 1, 0, 0, (100 * 2) / 3],
    ]);
    expect(total).toMatchObject({ killed: 1, survived: 1, timeout: 1, noCoverage: 1, score: 50 });
    expect(formatScoreTable({ files, total })).toMatch(/b\.ts\s+1\s+1\s+1\s+0\s+66\.67 %\n.*\nall files\s+1\s+1\s+1\s+1\s+50\.00 %$/);
  });

  it('merges the reports of several passes, keeping test ids apart', () => {
    const one: MutationReport = { files: { 'a.ts': { source: 'x', mutants: [{ ...mutant('1', 'Killed', 1, 1, 2), coveredBy: ['0'], killedBy: ['0'] }] } }, testFiles: { 't.ts': { tests: [{ id: '0' }] } } };
    const two: MutationReport = { files: { 'b.ts': { source: 'y', mutants: [{ ...mutant('1', 'Survived', 1, 1, 2), coveredBy: ['0'] }] } }, testFiles: { 't.ts': { tests: [{ id: '0' }] } } };
    const merged = mergeReports([one, two]);
    expect(Object.keys(merged.files)).toEqual(['a.ts', 'b.ts']);
    expect(merged.files['a.ts'].mutants[0]).toMatchObject({ coveredBy: ['1.0'], killedBy: ['1.0'] });
    expect(merged.files['b.ts'].mutants[0].coveredBy).toEqual(['2.0']);
    expect(merged.testFiles!['t.ts'].tests.map((t) => t.id)).toEqual(['1.0', '2.0']);
    expect(mergeReports([one])).toBe(one);
  });

  it('lists the undetected mutants by file with the code they replace', () => {
    expect(undetectedMutants(report)).toBe(['a.ts (1)', 'a.ts:1:1  NoCoverage  BlockStatement  f() → {}', '', 'b.ts (1)', 'b.ts:2:8  Survived  EqualityOperator  a >= b → a > b'].join('\n'));
  });
});
