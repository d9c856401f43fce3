import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { Visibility } from '../assignment/define.ts';
import { assertReleasable, type LoadedAssignment } from '../assignment/load.ts';
import { timestampProblem } from '../result/late.ts';

/**
 * What of the course repository the autograder needs: the engine, the assignments with their
 * references and mistakes, the committed models, the report templates, and the files npm
 * installs from. Not the tests, the starters, reports or node_modules (setup.sh installs).
 */
const COURSE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'bin', 'grader/src', 'grader/models', 'assignments', 'solutions', 'reports/templates'];
const SKIPPED = new Set(['node_modules', '.git', '.DS_Store']);

/** Gradescope kills an autograder after 10 minutes by default and the student gets 0 and no results. */
export const GRADESCOPE_TIMEOUT_S = 600;
/** Stop grading this long before Gradescope's timeout, so a results.json is always written. */
const MARGIN_S = 60;

export interface BundleOptions {
  /** The secret hidden cases are seeded from; stored in the bundle, which only the course sees. */
  secret: string;
  /** Seconds grading may take (default: Gradescope's 10 minutes less one). */
  timeLimitS?: number;
  /** Gradescope visibility of mlgrade's hidden cases (see report/gradescope.ts). */
  hiddenAs?: Visibility;
}

const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image (Ubuntu 22.04), with the
# network: it installs a maintained Node LTS and the course's locked dependencies. Grading
# itself needs no network.
set -euo pipefail
apt-get install -y ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
apt-get install -y nodejs
cd /autograder/source
npm ci --no-audit --no-fund
node bin/mlgrade.js doctor
`;

function runAutograder(assignment: string, options: Required<Omit<BundleOptions, 'secret'>>): string {
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission: /autograder/submission holds the student's files,
# /autograder/submission_metadata.json who submitted and when, and the results go to
# /autograder/results/results.json. MLGRADE_AUTOGRADER_ROOT moves that tree (for tests).
set -uo pipefail
ROOT="\${MLGRADE_AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"
mkdir -p "$ROOT/results"
MLGRADE_SECRET="$(cat mlgrade-secret)" exec node bin/mlgrade.js grade ${assignment} \\
  --submission "$ROOT/submission" --gradescope-metadata "$ROOT/submission_metadata.json" \\
  --format gradescope --out "$ROOT/results" \\
  --time-limit ${options.timeLimitS} --gradescope-hidden ${options.hiddenAs}
`;
}

function addTree(files: Zippable, root: string, rel: string): void {
  const full = path.join(root, rel);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) if (!SKIPPED.has(name)) addTree(files, root, path.posix.join(rel, name));
  } else {
    files[rel] = [readFileSync(full), { level: 6 }];
  }
}

/** An executable file: Unix mode 0755 in the zip's external attributes. */
const executable = (text: string): Zippable[string] => [new TextEncoder().encode(text), { os: 3, attrs: 0o100755 << 16 }];

/**
 * The Gradescope autograder zip for one assignment: `setup.sh` and `run_autograder` at the
 * zip's root (Gradescope unpacks it to /autograder/source and copies run_autograder to
 * /autograder/run_autograder), with the course files beside them. The zip holds the reference
 * solutions and the secret: upload it to Gradescope, never hand it to students.
 */
export function buildGradescopeBundle(assignment: LoadedAssignment, options: BundleOptions): Uint8Array {
  assertReleasable(assignment, 'Gradescope bundle');
  const timeLimitS = options.timeLimitS ?? GRADESCOPE_TIMEOUT_S - MARGIN_S;
  const files: Zippable = {
    'setup.sh': executable(SETUP_SH),
    run_autograder: executable(runAutograder(assignment.spec.id, { timeLimitS, hiddenAs: options.hiddenAs ?? 'visible' })),
    'mlgrade-secret': [new TextEncoder().encode(options.secret), {}],
  };
  for (const rel of COURSE_FILES) addTree(files, assignment.root, rel);
  return zipSync(files, { mtime: new Date('2026-01-01T00:00:00Z') });
}

/**
 * Who submitted and when, from Gradescope's submission_metadata.json: the student id that
 * selects their variant, and `created_at`, the submission time the late policy is applied to
 * (never the clock: a submission graded again keeps its time). Gradescope's own due date is
 * not read: the assignment file's late policy is the course's.
 */
export function studentFromMetadata(text: string): { student: string; submittedAt?: string } {
  const metadata = JSON.parse(text) as { users?: Array<{ email?: string; id?: number | string }>; created_at?: string };
  const ids = (metadata.users ?? []).map((u) => (u.email ? u.email.toLowerCase() : u.id !== undefined ? String(u.id) : '')).filter(Boolean);
  if (ids.length === 0) throw new Error('submission_metadata.json names no user (users[] with an email or id)');
  const badTime = metadata.created_at === undefined ? undefined : timestampProblem(String(metadata.created_at));
  if (badTime) throw new Error(`created_at: ${badTime}`);
  // A group submission is graded once, for the group: its members' ids, sorted, joined.
  return { student: [...ids].sort().join('+'), ...(metadata.created_at ? { submittedAt: metadata.created_at } : {}) };
}
