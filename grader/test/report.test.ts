import { describe, expect, it } from 'vitest';
import { render } from '../src/report/render.ts';
import { toGradescope } from '../src/report/gradescope.ts';
import { resultSchema, type Result } from '../src/result/schema.ts';
import { grayscaleImage } from '../src/report/figures.ts';

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
    expect(gs.tests[2]).toMatchObject({ visibility: 'hidden', output: 'failed (this case is not visible: details are withheld)' });
    expect(gs.tests[3]).toMatchObject({ visibility: 'after_due_date', status: 'failed' });
    expect(JSON.parse(render('gradescope', result))).toEqual(gs);
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
