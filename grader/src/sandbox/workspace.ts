import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A temporary folder for one submission: `work/` is a copy of the submission (the child's
 * cwd and the only place it may write), `bundle/` holds the compiled code.
 */
export interface Workspace {
  root: string;
  workDir: string;
  bundleDir: string;
  /** Things left out of the copy (links, oversized trees), to tell the student. */
  warnings: string[];
  remove(): void;
}

const SKIPPED_NAMES = new Set(['node_modules', '.git']);
const MAX_FILES = 2000;
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * Copies regular files and folders only. Symbolic links are skipped: a link in a student's
 * repository could otherwise point the copy at the reference solutions on the grading machine.
 */
function copyTree(from: string, to: string, state: { files: number; bytes: number; warnings: string[] }, shown: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const label = path.join(shown, entry.name);
    if (SKIPPED_NAMES.has(entry.name)) continue;
    if (entry.isSymbolicLink()) {
      state.warnings.push(`${label} is a symbolic link and was not copied`);
      continue;
    }
    if (entry.isDirectory()) {
      copyTree(source, path.join(to, entry.name), state, label);
    } else if (entry.isFile()) {
      const size = lstatSync(source).size;
      if (state.files + 1 > MAX_FILES || state.bytes + size > MAX_BYTES) {
        state.warnings.push(`${label} was not copied: the submission is larger than ${MAX_FILES} files or ${MAX_BYTES / 1024 / 1024} MB`);
        continue;
      }
      cpSync(source, path.join(to, entry.name));
      state.files++;
      state.bytes += size;
    }
  }
}

export function createWorkspace(submissionDir: string): Workspace {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-'));
  const workDir = path.join(root, 'work');
  const bundleDir = path.join(root, 'bundle');
  mkdirSync(bundleDir);
  const state = { files: 0, bytes: 0, warnings: [] as string[] };
  copyTree(submissionDir, workDir, state, '.');
  return {
    root,
    workDir,
    bundleDir,
    warnings: state.warnings,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
