import { pruneLockfile } from './lockfile.ts';
import type { AssignmentSpec } from '../assignment/define.ts';
import { EXPORT_MARKER } from '../assignment/load.ts';

/**
 * The files of a student copy that `mlgrade export` writes from scratch: package.json, the
 * README, the feedback workflow, tsconfig.json, .gitignore and the marker that tells the engine
 * it is a student copy.
 */

export interface StudentFilesOptions {
  course: string;
  assignments: readonly AssignmentSpec[];
  /** The course's package.json: the copy depends on its runtime packages, at its versions. */
  coursePackage: { dependencies: Record<string, string> };
  /** The course's package-lock.json, parsed: cut down to the copy's dependencies (lockfile.ts). */
  courseLock: Parameters<typeof pruneLockfile>[0];
  version: string;
  student: string;
  seed: string;
}

/** GitHub Classroom's reporter takes runner ids of letters and digits and reads `<ID>_RESULTS`. */
export function runnerId(assignmentId: string): string {
  return assignmentId.replace(/[^A-Za-z0-9]/g, '');
}

/** The copy's package name and version, in package.json and its lock file alike. */
const packageName = (course: string): string => course.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
const PACKAGE_VERSION = '1.0.0';

function packageJson(options: StudentFilesOptions): string {
  return `${JSON.stringify(
    {
      name: packageName(options.course),
      version: PACKAGE_VERSION,
      description: `Assignments of ${options.course}: edit starter/<assignment>/, then run npm run grade -- <assignment>`,
      type: 'module',
      private: true,
      engines: { node: '>=20' },
      scripts: {
        grade: 'node bin/mlgrade.js grade',
        handout: 'node bin/mlgrade.js handout',
        mlgrade: 'node bin/mlgrade.js',
      },
      // The course's runtime packages at the course's exact versions. Not tfjs-node: the
      // recorded answers were computed on the wasm backend, which the copy therefore uses.
      dependencies: options.coursePackage.dependencies,
    },
    null,
    2,
  )}\n`;
}

/** The workflow GitHub Classroom runs on every push: feedback on visible cases, never a grade of record. */
export function feedbackWorkflow(assignments: readonly AssignmentSpec[]): string {
  const ids = assignments.map((a) => a.id);
  const outputs = ids.map((id) => `          echo "${runnerId(id).toUpperCase()}_RESULTS=$(base64 -w0 reports/out/${id}/classroom.json)" >> "$GITHUB_OUTPUT"`).join('\n');
  const env = ids.map((id) => `          ${runnerId(id).toUpperCase()}_RESULTS: \${{ steps.grade.outputs.${runnerId(id).toUpperCase()}_RESULTS }}`).join('\n');
  return `# Feedback on the visible cases of every push: the Markdown report in the job summary, one
# annotation per failed case, the HTML reports as an artifact, and points for GitHub Classroom.
# This workflow runs in your repository, so it is feedback only: the grade of record is
# computed by the course's own grader, on hidden cases too.
name: Autograding Tests
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v7
      - uses: actions/setup-node@v7
        with:
          node-version: 24
      - run: npm ci --no-audit --no-fund
      - name: Grade the visible cases
        id: grade
        run: |
          node bin/mlgrade.js grade --all --format summary,html,classroom,github --out reports/out
          cat reports/out/*/summary.md >> "$GITHUB_STEP_SUMMARY"
          cat reports/out/*/annotations.txt
${outputs}
      - uses: actions/upload-artifact@v7
        if: always()
        with:
          name: feedback
          path: reports/out/*/report.html
      - uses: classroom-resources/autograding-grading-reporter@v1
        env:
${env}
        with:
          runners: ${ids.map(runnerId).join(',')}
`;
}

function readme(options: StudentFilesOptions): string {
  const rows = options.assignments.map((a) => {
    const points = a.problems.reduce((sum, p) => sum + p.points, 0);
    return `| \`${a.id}\` | ${a.title} | \`starter/${a.id}/${a.module}\` | [handouts/${a.id}.md](handouts/${a.id}.md) | ${points} |`;
  });
  const first = options.assignments[0];
  return `# ${options.course}

Your assignments. Each one has a handout, a file to complete and a grader that checks your
code on the spot.

| Assignment | Title | Your file | Handout | Points |
| --- | --- | --- | --- | ---: |
${rows.join('\n')}

## Set up

Install [Node.js](https://nodejs.org/) 22 or 24 (any version from 20 works), then, in this folder:

\`\`\`sh
npm install
\`\`\`

## Work on an assignment

1. Read the handout, e.g. \`handouts/${first.id}.md\`.
2. Complete the functions in \`starter/${first.id}/${first.module}\` (they throw "not implemented" until you do).
3. Grade your work:

\`\`\`sh
npm run grade -- ${first.id}
npm run grade -- ${first.id} --format html --out reports/out    # a report with pictures: reports/out/report.html
npm run grade -- --all                                          # every assignment
\`\`\`

Your code runs in a separate process with time and memory limits, as it will when the course
grades it.

## What the grade here means

This copy of the course grades the **visible cases** only, and it gives the same verdicts,
messages, hints and pictures for them as the course's grader. The other cases (marked
\`hidden\` or \`after_due_date\` in the report) are not run here: the course's grader runs them
when it grades your submission, and its result is your grade. So a full score here means
your code passes every visible case, not that you have every point.

This copy holds no reference solution. Where a check needs the reference's answer, the copy
looks it up among answers recorded when the course built it. When a check needs an answer
to something it could not record in advance (your own output, say), the case says "checked
by the course's grader" instead of guessing.

Every push runs the workflow in \`.github/workflows/classroom.yml\`, which grades the visible
cases, writes the report to the run's summary, marks each failed case, and keeps the HTML
reports as an artifact named \`feedback\`.

## Help

\`\`\`sh
npm run mlgrade -- --help
npm run mlgrade -- grade --help
npm run mlgrade -- doctor      # Node, npm and the tensor backend in use
\`\`\`

Built with mlgrade ${options.version}.
`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      types: ['node'],
    },
    include: ['starter/**/*.ts'],
  },
  null,
  2,
)}\n`;

export function studentFiles(options: StudentFilesOptions): Record<string, string> {
  return {
    'package.json': packageJson(options),
    // The versions (and integrity hashes) the course tested, for npm ci and npm install alike.
    'package-lock.json': `${JSON.stringify(pruneLockfile(options.courseLock, { name: packageName(options.course), version: PACKAGE_VERSION, dependencies: options.coursePackage.dependencies }), null, 2)}\n`,
    'README.md': readme(options),
    '.github/workflows/classroom.yml': feedbackWorkflow(options.assignments),
    'tsconfig.json': TSCONFIG,
    '.gitignore': 'node_modules/\nreports/out/\n',
    [EXPORT_MARKER]: `${JSON.stringify({ tool: 'mlgrade', version: options.version, assignments: options.assignments.map((a) => a.id), student: options.student, seed: options.seed, backend: 'wasm' }, null, 2)}\n`,
  };
}
