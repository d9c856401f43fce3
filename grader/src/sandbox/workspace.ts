import { constants, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A temporary folder for one submission: `source/` is a copy of the submission (compiled,
 * never written to), `bundle/` holds the compiled code, and each sandboxed child gets a copy
 * of `source/` of its own under `children/` (its cwd and the only place it may write; it may
 * read no other child's). So no file passes from one child to another: nothing a child wrote
 * after seeing a hidden input can reach a later child's visible feedback, and nothing one
 * problem's code writes can reach another problem's.
 */
export interface Workspace {
  root: string;
  sourceDir: string;
  bundleDir: string;
  /** Things left out of the copy (links, oversized trees), to tell the student. */
  warnings: string[];
  /** A fresh copy of the submission for one child; remove it with removeChildDir when the child is gone. */
  childDir(): string;
  removeChildDir(dir: string): void;
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

/**
 * Workspaces not removed yet. A grader process that ends through process.exit, or with an
 * uncaught error, removes them as it goes (a killed one cannot): a batch or a check that
 * stops early leaves no copies of submissions in the temporary folder.
 */
const open = new Set<string>();
process.on('exit', () => {
  for (const root of open) rmSync(root, { recursive: true, force: true });
});

export function createWorkspace(submissionDir: string): Workspace {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mlgrade-'));
  open.add(root);
  const sourceDir = path.join(root, 'source');
  const bundleDir = path.join(root, 'bundle');
  const childrenDir = path.join(root, 'children');
  mkdirSync(bundleDir);
  mkdirSync(childrenDir);
  const state = { files: 0, bytes: 0, warnings: [] as string[] };
  copyTree(submissionDir, sourceDir, state, '.');
  let children = 0;
  return {
    root,
    sourceDir,
    bundleDir,
    warnings: state.warnings,
    childDir: () => {
      const dir = path.join(childrenDir, String(++children));
      // The source copy holds regular files and folders only (copyTree), within the limits.
      cpSync(sourceDir, dir, { recursive: true, mode: constants.COPYFILE_FICLONE });
      return dir;
    },
    removeChildDir: (dir) => rmSync(dir, { recursive: true, force: true }),
    remove: () => {
      rmSync(root, { recursive: true, force: true });
      open.delete(root);
    },
  };
}
