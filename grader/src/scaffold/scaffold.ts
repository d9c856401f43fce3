import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `mlgrade new` and `mlgrade new-problem`: the files of a new assignment or problem, written so
 * that they compile and pass `mlgrade check` as they are. The problem they start with is a
 * placeholder (`placeholder: true`: scale a vector), which `mlgrade export` and `mlgrade
 * gradescope` refuse, so a scaffold cannot reach students by accident.
 */

/** A scaffold that cannot be written (a bad name, a file that exists); one line for the CLI. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/** The line of a scaffolded assignment.ts above which `new-problem` adds problems. */
export const PROBLEMS_MARKER = '// mlgrade new-problem adds problems above this line.';

export interface Scaffolded {
  /** Files created, relative to the project root. */
  written: string[];
  /** Existing files a part was added to. */
  edited: string[];
  /** What could not be done automatically and must be done by hand (one step per entry). */
  manual: string[];
}

const ASSIGNMENT_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MODULE_FILE = /^[A-Za-z_][\w-]*\.ts$/;
const FUNCTION_NAME = /^[A-Za-z_$][\w$]*$/;
/** JavaScript's reserved words: neither a function nor a binding made from an assignment id may be one. */
const KEYWORDS = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await']);
/** The names the generated problem file binds besides the function's own. */
const GENERATED_BINDINGS = ['reference', 'problem', 'allClose', 'sameAs', 'vector'];

/** `powerIteration` → `power-iteration`. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_$]+/g, '-').toLowerCase();
}

function writeNew(root: string, file: string, text: string, done: Scaffolded): void {
  const full = path.join(root, file);
  if (existsSync(full)) throw new ScaffoldError(`${file} exists already; nothing was written`);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  done.written.push(file);
}

function referenceStub(name: string): string {
  return `
/**
 * PLACEHOLDER (mlgrade new-problem): the reference for ${name}. It scales a vector so that the
 * scaffold passes \`mlgrade check\`; replace it, and the problem's cases, check and mistake.
 */
export function ${name}(x: number[], factor: number): number[] {
  return x.map((v) => v * factor);
}
`;
}

function starterStub(name: string): string {
  return `
/**
 * PLACEHOLDER (mlgrade new-problem): tell students what ${name} computes, in the lecture's
 * notation, and keep this signature the same as the reference's.
 */
export function ${name}(x: number[], factor: number): number[] {
  throw new Error('not implemented: ${name}');
}
`;
}

function mistakeFile(name: string, id: string): string {
  return `// Mistake (${id}): PLACEHOLDER — forgets the factor. Replace it with a mistake students really make.
export function ${name}(x: number[], _factor: number): number[] {
  return x.map((v) => v);
}
`;
}

function problemFile(assignment: string, module: string, name: string, mistakeId: string): string {
  const moduleName = module.replace(/\.ts$/, '');
  const mistakeBinding = `${name}Mistake`;
  return `import { problem } from '../../../grader/src/assignment/define.ts';
import { allClose } from '../../../grader/src/checks/allclose.ts';
import { sameAs } from '../../../grader/src/checks/mistakes.ts';
import { vector } from '../../../grader/src/checks/values.ts';
import * as reference from '../../../solutions/${assignment}/${moduleName}.ts';
import * as ${mistakeBinding} from '../mistakes/${mistakeId}.ts';

/**
 * Scaffolded by \`mlgrade new-problem\`. Write the reference (solutions/${assignment}/${module}),
 * the starter stub (starter/${assignment}/${module}), the cases, the check, a mistake students
 * really make and the handout's section; then delete \`placeholder: true\` — until then
 * \`mlgrade export\` and \`mlgrade gradescope\` refuse the assignment. See docs/authoring.md.
 */
export default problem({
  export: '${name}',
  title: 'PLACEHOLDER: ${name}',
  points: 10,
  placeholder: true,
  reference: reference.${name},
  output: vector,
  cases: [
    { name: 'a vector of 4, doubled', args: (rng) => [rng.vector(4), 2] },
    { name: 'a random length and factor', visibility: 'hidden', args: (rng) => [rng.vector(rng.int(5, 12)), rng.uniform(0.5, 3)] },
  ],
  check: ({ output, expected }) => allClose(output, expected, { name: 'out' }),
  mistakes: [
    {
      id: '${mistakeId}',
      hint: 'Multiply every entry by the factor.',
      matches: sameAs(${mistakeBinding}.${name}),
    },
  ],
});
`;
}

/** The Handlebars comments around the handout section new-problem writes (docs/authoring.md's runner replaces what lies between). */
export function sectionMarkers(name: string): { open: string; close: string } {
  return { open: `{{!-- problem ${name} (scaffolded by mlgrade new-problem) --}}`, close: `{{!-- end of problem ${name} --}}` };
}

function handoutSection(name: string): string {
  const { open, close } = sectionMarkers(name);
  return `
${open}
## \`${name}(x, factor)\` — {{problems.${name}.points}} points

PLACEHOLDER: what ${name} computes, in the lecture's notation, with a small worked example.
${close}
`;
}

/** The assignment's module (its `module: '…'` field), read from assignment.ts without loading it. */
function moduleOf(root: string, assignment: string): string {
  const file = path.join('assignments', assignment, 'assignment.ts');
  if (!existsSync(path.join(root, file))) throw new ScaffoldError(`no assignment "${assignment}" (looked for ${file}); create one with mlgrade new ${assignment} --module <file.ts>`);
  const match = /\bmodule:\s*'([^']+\.ts)'/.exec(readFileSync(path.join(root, file), 'utf8'));
  if (!match) throw new ScaffoldError(`${file}: no \`module: '<file>.ts'\` field found`);
  return match[1];
}

/**
 * Adds problem `name` to an assignment: a stub in the reference and the starter module, a
 * placeholder mistake, the problem's file, a handout section, and the problem in assignment.ts
 * (above PROBLEMS_MARKER; without the marker, `manual` says what to add by hand).
 */
export function newProblem(root: string, assignment: string, name: string): Scaffolded {
  if (!FUNCTION_NAME.test(name) || KEYWORDS.has(name) || GENERATED_BINDINGS.includes(name)) {
    throw new ScaffoldError(`"${name}" is not a usable function name (a JavaScript identifier, not a reserved word, and none of ${GENERATED_BINDINGS.join(', ')})`);
  }
  const module = moduleOf(root, assignment);
  const done: Scaffolded = { written: [], edited: [], manual: [] };
  const mistakeId = `${kebab(name)}-placeholder`;
  const files = {
    problem: path.join('assignments', assignment, 'problems', `${name}.ts`),
    mistake: path.join('assignments', assignment, 'mistakes', `${mistakeId}.ts`),
    reference: path.join('solutions', assignment, module),
    starter: path.join('starter', assignment, module),
    handout: path.join('assignments', assignment, 'handout.md.hbs'),
    assignment: path.join('assignments', assignment, 'assignment.ts'),
  };
  for (const file of [files.problem, files.mistake]) if (existsSync(path.join(root, file))) throw new ScaffoldError(`${file} exists already; nothing was written`);
  for (const file of [files.reference, files.starter]) {
    if (!existsSync(path.join(root, file))) throw new ScaffoldError(`${file} does not exist; nothing was written`);
    if (new RegExp(`\\bexport\\s+(?:async\\s+)?function\\s+${name.replace(/\$/g, '\\$')}\\b`).test(readFileSync(path.join(root, file), 'utf8'))) throw new ScaffoldError(`${file} already exports ${name}; nothing was written`);
  }
  writeNew(root, files.problem, problemFile(assignment, module, name, mistakeId), done);
  writeNew(root, files.mistake, mistakeFile(name, mistakeId), done);
  appendFileSync(path.join(root, files.reference), referenceStub(name));
  appendFileSync(path.join(root, files.starter), starterStub(name));
  done.edited.push(files.reference, files.starter);
  if (existsSync(path.join(root, files.handout))) {
    appendFileSync(path.join(root, files.handout), handoutSection(name));
    done.edited.push(files.handout);
  } else {
    writeNew(root, files.handout, `# {{{title}}}\n${handoutSection(name)}`, done);
  }
  const binding = `${name}Problem`;
  const importLine = `import ${binding} from './problems/${name}.ts';`;
  const source = readFileSync(path.join(root, files.assignment), 'utf8');
  const markerAt = source.indexOf(PROBLEMS_MARKER);
  if (markerAt < 0) {
    done.manual.push(`add to ${files.assignment}: \`${importLine}\` with its imports, and \`${binding},\` at the end of its problems list (add the line \`${PROBLEMS_MARKER}\` after the list's last problem, and new-problem will do this itself next time)`);
    return done;
  }
  const lineStart = source.lastIndexOf('\n', markerAt) + 1;
  const indent = source.slice(lineStart, markerAt);
  const withProblem = `${source.slice(0, lineStart)}${indent}${binding},\n${source.slice(lineStart)}`;
  const imports = [...withProblem.matchAll(/^import [^;]*;\n/gm)];
  const after = imports.length > 0 ? imports[imports.length - 1].index + imports[imports.length - 1][0].length : 0;
  writeFileSync(path.join(root, files.assignment), `${withProblem.slice(0, after)}${importLine}\n${withProblem.slice(after)}`);
  done.edited.push(files.assignment);
  return done;
}

/**
 * A new assignment `id` whose students edit `module`: assignment.ts, the reference and starter
 * modules, a handout, one placeholder problem (`example`, see newProblem) and, where the
 * project has grader/test/contracts.ts, the line that makes the starter's signatures a
 * compile-time contract with the reference's.
 */
export function newAssignment(root: string, id: string, module: string): Scaffolded {
  if (!ASSIGNMENT_ID.test(id)) throw new ScaffoldError(`"${id}" is not a usable assignment id (lower-case words joined by hyphens, e.g. text-embeddings)`);
  if (!MODULE_FILE.test(module)) throw new ScaffoldError(`--module ${module}: expected a TypeScript file name such as text.ts`);
  for (const dir of ['assignments', 'solutions', 'starter']) {
    if (existsSync(path.join(root, dir, id))) throw new ScaffoldError(`${path.join(dir, id)} exists already; nothing was written`);
  }
  const done: Scaffolded = { written: [], edited: [], manual: [] };
  writeNew(
    root,
    path.join('assignments', id, 'assignment.ts'),
    `import { defineAssignment } from '../../grader/src/assignment/define.ts';

export default defineAssignment({
  id: '${id}',
  title: 'PLACEHOLDER: the title students see',
  module: '${module}',
  problems: [
    ${PROBLEMS_MARKER}
  ],
});
`,
    done,
  );
  writeNew(root, path.join('solutions', id, module), `// ${id}: the reference solution. Students never see this file.\n`, done);
  writeNew(
    root,
    path.join('starter', id, module),
    `// ${id} — your implementation goes here.\n// Run \`npm run grade -- ${id}\` to check your work.\n`,
    done,
  );
  writeNew(
    root,
    path.join('assignments', id, 'handout.md.hbs'),
    `# {{{title}}}

*Assignment id: \`{{id}}\` · {{totalPoints}} points in total*

PLACEHOLDER: what this assignment is about, and how to run \`npm run grade -- ${id}\`.
`,
    done,
  );
  const problem = newProblem(root, id, 'example');
  const edited = problem.edited.filter((f) => !done.written.includes(f));
  // The course's compile-time contract between the reference and the starter (grader/test/contracts.ts).
  const contracts = path.join('grader', 'test', 'contracts.ts');
  if (existsSync(path.join(root, contracts))) {
    const stem = module.replace(/\.ts$/, '');
    const binding = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    appendFileSync(
      path.join(root, contracts),
      `export const ${KEYWORDS.has(binding) ? `${binding}Assignment` : binding} = (solution: typeof import('../../solutions/${id}/${stem}.ts')): Starter<typeof import('../../starter/${id}/${stem}.ts')> => solution;\n`,
    );
    edited.push(contracts);
  }
  return { written: [...done.written, ...problem.written], edited, manual: problem.manual };
}
