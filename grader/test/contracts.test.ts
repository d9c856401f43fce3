import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAssignmentIds } from '../src/assignment/load.ts';
import { PROJECT_ROOT, tempDir } from './helpers.ts';

const CONTRACT = (solution: string, starter: string) =>
  `export const contract = (s: typeof import('${solution}')): typeof import('${starter}') => s;\n`;

function typecheck(files: Record<string, string>): { code: number | null; output: string } {
  const dir = tempDir({
    ...files,
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, skipLibCheck: true, types: [] },
      include: ['*.ts'],
    }),
  });
  const tsc = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  return { code: run.status, output: run.stdout + run.stderr };
}

describe('starter ⇔ solution contracts', () => {
  it('lists every assignment in contracts.ts', () => {
    const contracts = readFileSync(path.join(PROJECT_ROOT, 'grader/test/contracts.ts'), 'utf8');
    for (const id of listAssignmentIds()) {
      expect(contracts, `add ${id} to grader/test/contracts.ts`).toContain(`solutions/${id}/`);
      expect(contracts, `add ${id} to grader/test/contracts.ts`).toContain(`starter/${id}/`);
    }
  });

  it('compiles when the signatures agree and fails when they drift', () => {
    const starter = "export function f(x: number[][], k = 1): number[][] { throw new Error('not implemented: f'); }\nexport type Matrix = number[][];\n";
    const same = 'export function f(x: number[][], k = 1): number[][] { return x.map((r) => r.map((v) => v * k)); }\nexport type Matrix = number[][];\n';
    expect(typecheck({ 'starter.ts': starter, 'solution.ts': same, 'contract.ts': CONTRACT('./solution.ts', './starter.ts') }).code).toBe(0);

    const drifts = {
      'a changed return type': 'export function f(x: number[][]): number[] { return x[0]; }\n',
      'a renamed export': 'export function g(x: number[][]): number[][] { return x; }\n',
      'a new required parameter': 'export function f(x: number[][], k: number, j: number): number[][] { return x.map((r) => r.map((v) => v * k * j)); }\n',
    };
    for (const [what, solution] of Object.entries(drifts)) {
      const result = typecheck({ 'starter.ts': starter, 'solution.ts': solution, 'contract.ts': CONTRACT('./solution.ts', './starter.ts') });
      expect(result.code, what).not.toBe(0);
      expect(result.output, what).toMatch(/contract\.ts\(1,\d+\): error TS(2322|2741)/);
    }
  });
});
