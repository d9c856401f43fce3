import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { render } from '../src/report/render.ts';
import { toClassroom } from '../src/report/classroom.ts';
import { toExercism } from '../src/report/exercism.ts';
import { type GradescopeResults, toGradescope } from '../src/report/gradescope.ts';
import { toJUnit } from '../src/report/junit.ts';
import { toAnnotations } from '../src/report/annotations.ts';
import { resultSchema, type Result } from '../src/result/schema.ts';
import { grayscaleImage } from '../src/report/figures.ts';
import { PROJECT_ROOT } from './helpers.ts';

const result: Result = {
  schemaVersion: 1,
  tool: { name: 'mlgrade', version: '0.1.0' },
  assignment: { id: 'demo', title: 'Demo assignment' },
  student: 'ada',
  seed: '0',
  backend: 'none',
  score: 3,
  maxScore: 10,
  warnings: ['notes.md is a symbolic link and was not copied'],
  problems: [
    {
      name: 'conv2d',
      title: 'Convolution',
      score: 3,
      maxScore: 6,
      status: 'partial',
      cases: [
        { name: 'small', visibility: 'visible', status: 'pass', score: 3, maxScore: 3, message: 'correct', notes: ['conv2d left 2 tensors allocated'], durationMs: 1.5 },
        {
          name: 'stride 2',
          visibility: 'visible',
          status: 'fail',
          score: 0,
          maxScore: 2,
          message: 'out[0][1]: expected 4, got 5 (off by 1)\nHint: <b>no flip</b>',
          mistake: 'conv-flips-kernel',
          output: '<script>alert("x")</script>',
          durationMs: 2,
        },
        { name: 'random', visibility: 'hidden', status: 'fail', score: 0, maxScore: 1, message: 'failed (this case is not visible: details are withheld)', durationMs: 3 },
      ],
    },
    {
      name: 'maxPool2d',
      title: 'Max pooling',
      score: 0,
      maxScore: 4,
      status: 'error',
      cases: [{ name: 'lecture', visibility: 'after_due_date', status: 'timeout', score: 0, maxScore: 4, message: 'timed out (this case is not visible: details are withheld)', durationMs: 2000 }],
    },
  ],
  executionTimeMs: 2100,
};

/** A passing case with something to say, and two pictures of the answer. */
const pictured: Result = structuredClone(result);
pictured.problems[0].cases[0] = {
  ...pictured.problems[0].cases[0],
  message: 'k = 5: PSNR 21.6 dB',
  figures: [
    grayscaleImage('The photo at k = 5', [[0, 128], [255, 64]], { range: [0, 255], caption: 'left: original;\nright: [k = 5]' }),
    { title: 'Spectrum <svg>', mediaType: 'image/svg+xml', data: '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"></svg>' },
  ],
};

describe('reports', () => {
  it('the fixture is a valid Result', () => {
    expect(resultSchema.parse(result)).toEqual(result);
  });

  it('console: totals, failing cases with messages, colour only when asked', () => {
    const plain = render('console', result, { color: false });
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('◐ conv2d — Convolution  3/6');
    expect(plain).toContain('out[0][1]: expected 4, got 5 (off by 1)');
    expect(plain).toContain('warning: notes.md is a symbolic link');
    expect(plain).toContain('Total: 3/10');
    expect(plain).toContain('note: conv2d left 2 tensors allocated');
    expect(plain).not.toContain('correct'); // passing cases show no message
    expect(render('console', result, { color: true })).toContain('\x1b[');
  });

  it('markdown: a score table and each failure in a code block', () => {
    const md = render('md', result);
    expect(md).toContain('# Demo assignment — 3 / 10');
    expect(md).toContain('| ◐ | `conv2d` — Convolution | 3 / 6 |');
    expect(md).toContain('  out[0][1]: expected 4, got 5 (off by 1)');
    expect(md).toContain('- ✘ **stride 2** _(visible)_ — 0 / 2');
    expect(md).toContain('  - note: conv2d left 2 tensors allocated');
    expect(render('html', result)).toContain('note: conv2d left 2 tensors allocated');
  });

  it('html: self-contained and escapes everything the student controls', () => {
    const html = render('html', result);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)\b/i);
    expect(html).not.toMatch(/src=|href="http/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Hint: &lt;b&gt;no flip&lt;/b&gt;');
  });

  it('figures: inlined as data URIs in md and html, counted in the console, absent from Gradescope', () => {
    expect(resultSchema.parse(pictured)).toEqual(pictured);
    const png = pictured.problems[0].cases[0].figures![0].data;
    const md = render('md', pictured);
    expect(md).toContain(`![The photo at k = 5](data:image/png;base64,${png})`);
    // A caption cannot break the Markdown line or the image syntax it sits in.
    expect(md).toContain('**The photo at k = 5** — left: original; right: k = 5');
    expect(md).toContain(`(data:image/svg+xml;base64,${Buffer.from(pictured.problems[0].cases[0].figures![1].data).toString('base64')})`);
    const html = render('html', pictured);
    expect(html.match(/<img src="data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+" alt="[^"]*">/g)).toHaveLength(2);
    expect(html).toContain('alt="Spectrum &lt;svg&gt;"');
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(render('console', pictured)).toContain('2 figures in the Markdown and HTML reports');
    expect(JSON.stringify(toGradescope(pictured))).not.toContain(png);
    // The job-summary Markdown says where the pictures are instead of inlining them.
    const summary = render('summary', pictured);
    expect(summary).not.toContain('data:image');
    expect(summary).toContain('**The photo at k = 5** — left: original; right: k = 5\n\n  _(the picture is in the HTML report)_');
    expect(summary.replace(/\n\n {2}_\(the picture is in the HTML report\)_/g, '')).toBe(md.replace(/\n\n {2}!\[[^\]]*\]\([^)]*\)/g, ''));
  });

  it('shows what a passing visible case had to say, but not "correct"', () => {
    expect(render('console', pictured)).toContain('k = 5: PSNR 21.6 dB');
    expect(render('md', pictured)).toContain('  k = 5: PSNR 21.6 dB');
    expect(render('html', pictured)).toContain('<pre>k &#x3D; 5: PSNR 21.6 dB</pre>');
    expect(render('md', result)).not.toContain('correct');
  });

  it('json: the Result itself', () => {
    expect(JSON.parse(render('json', result))).toEqual(result);
  });

  it('gradescope: one test per case with Gradescope\'s fields and visibility', () => {
    const gs = toGradescope(result);
    expect(gs.score).toBe(3);
    expect(gs.execution_time).toBe(2);
    expect(gs.tests).toHaveLength(4);
    expect(gs.tests.reduce((s, t) => s + t.score, 0)).toBe(gs.score);
    expect(gs.tests[1]).toEqual({
      name: 'conv2d: stride 2',
      number: '1.2',
      score: 0,
      max_score: 2,
      status: 'failed',
      output: 'out[0][1]: expected 4, got 5 (off by 1)\nHint: <b>no flip</b>\n\nYour code printed:\n<script>alert("x")</script>',
      visibility: 'visible',
    });
    expect(gs.tests[0].output).toBe('correct\nnote: conv2d left 2 tensors allocated');
    expect(gs.tests[3]).toMatchObject({ visibility: 'after_due_date', status: 'failed' });
    expect(JSON.parse(render('gradescope', result))).toEqual(gs);
  });

  it('gradescope: every text is plain text, so a student\'s <b> or a Tensor<Rank.R4> is shown as written', () => {
    const gs = toGradescope(result);
    // Without output_format Gradescope renders the top-level output as sanitised HTML.
    expect(gs).toMatchObject({ output_format: 'text', test_output_format: 'text', test_name_format: 'text' });
  });

  it('gradescope: hidden cases are visible there by default (pass/fail and the total stay shown), or as configured', () => {
    expect(toGradescope(result).tests[2]).toMatchObject({ visibility: 'visible', output: 'failed (this case is not visible: details are withheld)' });
    expect(toGradescope(result, { hiddenAs: 'hidden' }).tests[2].visibility).toBe('hidden');
    expect(toGradescope(result, { hiddenAs: 'after_published' }).tests.map((t) => t.visibility)).toEqual(['visible', 'visible', 'after_published', 'after_due_date']);
    expect((JSON.parse(render('gradescope', result, { gradescope: { hiddenAs: 'hidden' } })) as GradescopeResults).tests[2].visibility).toBe('hidden');
  });

  it('gradescope: the leaderboard entries the submission measured, only when it has some', () => {
    expect(toGradescope(result)).not.toHaveProperty('leaderboard');
    const board: Result = { ...result, leaderboard: [{ name: 'PSNR at 4 bits (dB)', value: 21.5, order: 'desc' }, { name: 'bytes', value: 300, order: 'asc' }] };
    expect(resultSchema.parse(board)).toEqual(board);
    expect(toGradescope(board).leaderboard).toEqual([{ name: 'PSNR at 4 bits (dB)', value: 21.5, order: 'desc' }, { name: 'bytes', value: 300, order: 'asc' }]);
  });

  it('gradescope: scores rounded to hundredths, full marks exactly', () => {
    const fractions: Result = structuredClone(result);
    fractions.score = 84.00000000000001;
    fractions.problems[0].cases[0] = { ...fractions.problems[0].cases[0], score: 15 / 7, maxScore: 15 / 7 };
    fractions.problems[0].cases[1] = { ...fractions.problems[0].cases[1], score: 1 / 3, maxScore: 2 / 3 };
    const gs = toGradescope(fractions);
    expect(gs.score).toBe(84);
    expect(gs.output).toMatch(/^Demo assignment: 84\/10 /);
    expect(gs.tests[0]).toMatchObject({ score: 2.14, max_score: 2.14, status: 'passed' });
    expect(gs.tests[1]).toMatchObject({ score: 0.33, max_score: 0.67 });
  });
});

describe('exercism: test-runner results, version 3', () => {
  it('one test per case in grading order, task_id the problem\'s number, messages on failures only', () => {
    const report = toExercism(result);
    expect(report.version).toBe(3);
    expect(report.status).toBe('fail');
    expect(report).not.toHaveProperty('message');
    expect(report.tests.map((t) => [t.name, t.status, t.task_id])).toEqual([
      ['conv2d: small', 'pass', 1],
      ['conv2d: stride 2', 'fail', 1],
      ['conv2d: random', 'fail', 1],
      ['maxPool2d: lecture', 'error', 2],
    ]);
    expect(report.tests[0]).not.toHaveProperty('message');
    expect(report.tests[1]).toMatchObject({ message: 'out[0][1]: expected 4, got 5 (off by 1)\nHint: <b>no flip</b>\n(0/2 points)', output: '<script>alert("x")</script>' });
    expect(report.tests[1].test_code).toBe('conv2d(…) on the case "stride 2" [visible], worth 2 points');
    expect(JSON.parse(render('exercism', result))).toEqual(report);
  });

  it('output past 500 characters is cut with the sentence Exercism asks for', () => {
    const long: Result = structuredClone(result);
    long.problems[0].cases[1].output = 'x'.repeat(501);
    const { output } = toExercism(long).tests[1];
    expect(output).toHaveLength(500);
    expect(output).toMatch(/^x+\nOutput was truncated\. Please limit to 500 chars$/);
    long.problems[0].cases[1].output = 'y'.repeat(500);
    expect(toExercism(long).tests[1].output).toBe('y'.repeat(500));
  });

  it('pass when every case passes; error, with the reason and no tests, when nothing loaded', () => {
    const passing: Result = { ...result, problems: [{ ...result.problems[0], cases: [result.problems[0].cases[0]] }] };
    expect(toExercism(passing).status).toBe('pass');
    expect(toExercism({ ...result, loadError: 'conv.ts does not compile: line 3' })).toEqual({ version: 3, status: 'error', message: 'conv.ts does not compile: line 3', tests: [] });
    const allTimedOut: Result = { ...result, problems: [result.problems[1]] };
    expect(toExercism(allTimedOut)).toMatchObject({ status: 'error', message: 'no case produced an answer: see each test' });
  });
});

describe('junit: XML that validates against the JUnit schema dashboards use', () => {
  // Jenkins' xunit junit-10.xsd, verbatim with its MIT header (jenkinsci/xunit-plugin, commit 8c515de,
  // src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd), validated by
  // libxml2 compiled to wasm (xmllint-wasm).
  const xsd = readFileSync(path.join(PROJECT_ROOT, 'grader/test/fixtures/junit-10.xsd'), 'utf8');
  const validate = async (text: string) => {
    const { valid, errors } = await validateXML({ xml: [{ fileName: 'junit.xml', contents: text }], schema: [xsd] });
    return { valid, errors: errors.map((e) => e.rawMessage) };
  };

  it('a graded result, a submission that did not load, and text XML cannot hold all validate', async () => {
    const hostile: Result = structuredClone(result);
    hostile.problems[0].cases[1].message = 'a < b && c > "d" \'e\' \u0000\u001b[31m red \uD800 ]]> </failure>';
    hostile.problems[0].cases[1].output = '<system-out>\u0007';
    for (const r of [result, hostile, { ...result, loadError: 'pca.ts was not found <here>' }]) {
      const text = toJUnit(r);
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
      expect(await validate(text)).toEqual({ valid: true, errors: [] });
    }
  }, 30_000);

  it('the validator rejects what the schema forbids (a testsuite without its counts)', async () => {
    const broken = toJUnit(result).replace(/ failures="\d+" errors="\d+" skipped/, ' skipped');
    expect((await validate(broken)).valid).toBe(false);
  }, 30_000);

  it('one testsuite per problem with its points as properties; failure for a wrong answer, error for none', () => {
    const text = toJUnit(result);
    expect(text).toContain('<testsuites name="demo: Demo assignment" tests="4" failures="2" errors="1" time="2.100">');
    expect(text).toContain('<testsuite name="conv2d: Convolution" tests="3" failures="2" errors="0" skipped="0" time="0.006">');
    expect(text).toContain('<property name="score" value="3"/>');
    expect(text).toContain('<testcase name="small" classname="demo.conv2d" time="0.002"/>');
    expect(text).toContain('<failure type="fail" message="out[0][1]: expected 4, got 5 (off by 1) (0/2 points)">out[0][1]: expected 4, got 5 (off by 1)\nHint: &lt;b&gt;no flip&lt;/b&gt;</failure>');
    expect(text).toContain('<system-out>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</system-out>');
    expect(text).toContain('<error type="timeout" message="timed out (this case is not visible: details are withheld) (0/4 points)">');
    expect(render('junit', result)).toBe(text);
    const skipped: Result = structuredClone(result);
    skipped.problems[1].cases[0] = { ...skipped.problems[1].cases[0], status: 'skipped', message: 'skipped: maxPool2d depends on conv2d, which failed' };
    expect(toJUnit(skipped)).toContain('<skipped message="skipped: maxPool2d depends on conv2d, which failed"/>');
  });
});

describe('classroom: the JSON GitHub Classroom\'s grading reporter reads', () => {
  it('one test per problem with the reporter\'s fields; a partial or failed problem is a fail, a crashed one an error', () => {
    const report = toClassroom(result);
    expect(report).toEqual({
      version: 1,
      status: 'fail',
      max_score: 10,
      tests: [
        {
          name: 'conv2d: Convolution',
          status: 'fail',
          score: 3,
          message: 'stride 2 [visible]: out[0][1]: expected 4, got 5 (off by 1)\nrandom [hidden]: failed (this case is not visible: details are withheld)',
          test_code: '',
          filename: '',
          line_no: 0,
          duration: 7,
        },
        { name: 'maxPool2d: Max pooling', status: 'error', score: 0, message: 'lecture [after_due_date]: timed out (this case is not visible: details are withheld)', test_code: '', filename: '', line_no: 0, duration: 2000 },
      ],
    });
    expect(JSON.parse(render('classroom', result))).toEqual(report);
    expect(render('classroom', result).trimEnd()).not.toContain('\n');
  });

  it('full marks made of fractions of points is exactly max_score, and the reporter\'s sum equals it', () => {
    // 15 points over 7 cases: 15/7 each, whose float sum is not 15.
    const cases = Array.from({ length: 7 }, (_, i) => ({ name: `case ${i}`, visibility: 'visible' as const, status: 'pass' as const, score: 15 / 7, maxScore: 15 / 7, message: 'correct', durationMs: 1 }));
    const sum = cases.reduce((s, c) => s + c.score, 0);
    expect(sum).not.toBe(15);
    const full: Result = { ...result, score: sum + 0.1 + 0.2, maxScore: sum + 0.3, problems: [{ name: 'pca', title: 'PCA', score: sum, maxScore: sum, status: 'pass', cases }, { name: 'svd', title: 'SVD', score: 0.1 + 0.2, maxScore: 0.3, status: 'pass', cases: [] }] };
    const report = toClassroom(full);
    expect(report.max_score).toBe(15.3);
    expect(report.tests.map((t) => t.score)).toEqual([15, 0.3]);
    expect(report.tests.reduce((s, t) => s + t.score, 0)).toBe(report.max_score);
    expect(report.status).toBe('pass');
    expect(report.tests[0]).toMatchObject({ status: 'pass', message: '7 cases passed' });
  });

  it('a submission that did not load is an error on every problem, with the reason', () => {
    const report = toClassroom({ ...result, score: 0, loadError: 'pca.ts was not found in the submission folder\nsecond line' });
    expect(report.status).toBe('error');
    expect(report.tests.map((t) => [t.status, t.message])).toEqual([
      ['error', 'pca.ts was not found in the submission folder'],
      ['error', 'pca.ts was not found in the submission folder'],
    ]);
  });
});

describe('classroom and github formats of a student copy (visible cases only)', () => {
  it('classroom counts the visible cases only: their points, pass when they all pass', () => {
    const visibleOnly: Result = { ...structuredClone(result), visibleOnly: true };
    const report = toClassroom(visibleOnly);
    // maxPool2d has no visible case; conv2d's visible cases are worth 5 of its 6 points.
    expect(report.max_score).toBe(5);
    expect(report.tests.map((t) => [t.name, t.status, t.score])).toEqual([['conv2d: Convolution', 'fail', 3]]);
    expect(report.tests[0].message).toBe('stride 2 [visible]: out[0][1]: expected 4, got 5 (off by 1)');
    visibleOnly.problems[0].cases[1] = { ...visibleOnly.problems[0].cases[1], status: 'pass', score: 2 };
    expect(toClassroom(visibleOnly)).toMatchObject({ status: 'pass', max_score: 5, tests: [{ status: 'pass', score: 5 }] });
  });

  it('github: one annotation per visible case that did not pass, escaped so that a message cannot start a command', () => {
    const text = toAnnotations(result);
    expect(text).toBe('::error title=demo / conv2d / stride 2::out[0][1]: expected 4, got 5 (off by 1)%0AHint: <b>no flip</b>\n');
    const hostile: Result = structuredClone(result);
    hostile.problems[0].cases[1].message = 'bad 100%\r\n::error::forged';
    hostile.problems[0].cases[1].name = 'a:b, c';
    expect(toAnnotations(hostile)).toBe('::error title=demo / conv2d / a%3Ab%2C c::bad 100%25%0D%0A::error::forged\n');
    expect(toAnnotations(hostile).trimEnd().split('\n')).toHaveLength(1);
    const skipped: Result = structuredClone(result);
    skipped.problems[0].cases[0] = { ...skipped.problems[0].cases[0], status: 'skipped', message: "checked by the course's grader" };
    expect(toAnnotations(skipped).split('\n')[0]).toBe("::notice title=demo / conv2d / small::checked by the course's grader");
    expect(toAnnotations({ ...result, loadError: 'pca.ts was not found\nsecond' })).toBe('::error title=demo%3A the submission did not load::pca.ts was not found%0Asecond\n');
    expect(render('github', result)).toBe(text);
    const passing: Result = structuredClone(result);
    for (const c of passing.problems[0].cases) c.status = 'pass';
    expect(toAnnotations(passing)).toBe('');
  });
});

describe('console de-duplication', () => {
  it('says a repeated message once', () => {
    const repeated: Result = {
      ...result,
      problems: [
        {
          ...result.problems[0],
          cases: [0, 1, 2].map((i) => ({ name: `c${i}`, visibility: 'visible' as const, status: 'error' as const, score: 0, maxScore: 1, message: 'not implemented yet', durationMs: 0 })),
        },
      ],
    };
    const text = render('console', repeated);
    expect(text.match(/not implemented yet/g)).toHaveLength(1);
    expect(text.match(/\(same as above\)/g)).toHaveLength(2);
  });
});
