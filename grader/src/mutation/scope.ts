import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { AssignmentError, listAssignmentIds } from '../assignment/load.ts';

/**
 * What `npm run mutation` mutates: the code that decides a grade. That is the engine's
 * comparators and verdicts (`grader/src/checks/`), the linear algebra the checks lean on
 * (`dense.ts`, `subspace.ts`; the SVD is tested against ml-matrix instead and its mutants
 * would dominate the run), each assignment's `checks.ts`, and the check code inside each
 * `assignment.ts`: the `check` and `matches` functions and the module-level helpers they
 * call. Case generators (`args`, `calls`), references and data are not check code.
 */
export const ENGINE_SCOPE = ['grader/src/checks/**/*.ts', 'grader/src/linalg/dense.ts', 'grader/src/linalg/subspace.ts', 'grader/src/result/late.ts'];

/** Properties of a problem or mistake whose value is check code. */
const CHECK_PROPERTIES = new Set(['check', 'matches']);

/** A span of source: lines from 1, columns from 0 (the convention of Stryker's mutate ranges). */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function rangeOf(source: ts.SourceFile, node: ts.Node): SourceRange {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source));
  const end = source.getLineAndCharacterOfPosition(node.getEnd());
  return { startLine: start.line + 1, startColumn: start.character, endLine: end.line + 1, endColumn: end.character };
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Module-level functions by name: `function f() {}` and `const f = () => …` / `function () {}`. */
function moduleFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const functions = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) functions.set(statement.name.text, statement);
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) functions.set(declaration.name.text, init);
    }
  }
  return functions;
}

/** Names used as values inside `node` (not property names such as the `map` of `xs.map`). */
function referencedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
        (ts.isPropertyAssignment(parent) && parent.name === n) ||
        (ts.isBindingElement(parent) && parent.propertyName === n);
      if (!isPropertyName) names.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/**
 * The check code of one assignment file: the value of every `check` and `matches` property
 * (a function, or an expression such as `sameAs(...)` that makes one), and the module-level
 * functions they call by name, followed through the helpers those call in turn. Sorted by
 * position, without duplicates.
 */
export function checkRanges(fileName: string, text: string): SourceRange[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, /* setParentNodes */ true, ts.ScriptKind.TS);
  const functions = moduleFunctions(source);
  const selected = new Set<ts.Node>();
  const pending: ts.Node[] = [];
  const select = (node: ts.Node): void => {
    if (selected.has(node)) return;
    selected.add(node);
    pending.push(node);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && CHECK_PROPERTIES.has(propertyName(node.name) ?? '')) select(node.initializer);
    else if (ts.isMethodDeclaration(node) && CHECK_PROPERTIES.has(propertyName(node.name) ?? '')) select(node);
    else if (ts.isShorthandPropertyAssignment(node) && CHECK_PROPERTIES.has(node.name.text)) {
      const helper = functions.get(node.name.text);
      if (helper) select(helper);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // The helpers a check calls are check code too: follow them until nothing new appears.
  while (pending.length > 0) {
    for (const name of referencedNames(pending.pop()!)) {
      const helper = functions.get(name);
      if (helper) select(helper);
    }
  }
  // Drop a range that lies inside another one (a check nested in a selected helper).
  const nodes = [...selected].sort((a, b) => a.getStart(source) - b.getStart(source) || b.getEnd() - a.getEnd());
  const outermost = nodes.filter((node, i) => !nodes.slice(0, i).some((outer) => outer.getStart(source) <= node.getStart(source) && node.getEnd() <= outer.getEnd()));
  return outermost.map((node) => rangeOf(source, node));
}

/** A Stryker mutate entry for part of a file: `path:line:column-line:column`. */
export function mutateEntry(file: string, range: SourceRange): string {
  return `${file}:${range.startLine}:${range.startColumn}-${range.endLine}:${range.endColumn}`;
}

const posix = (file: string): string => file.split(path.sep).join('/');

/**
 * The check code of some assignments (all of them by default): each one's `checks.ts` and the
 * check code in its `assignment.ts` and `problems/*.ts`. Paths are relative to `root`.
 */
export function assignmentScope(root: string, assignmentIds?: readonly string[]): string[] {
  const known = listAssignmentIds(root);
  const ids = assignmentIds && assignmentIds.length > 0 ? assignmentIds : known;
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new AssignmentError(`no assignment ${unknown.map((id) => `"${id}"`).join(', ')}; known assignments: ${known.join(', ') || 'none'}`);
  const scope: string[] = [];
  for (const id of ids) {
    const checks = posix(path.join('assignments', id, 'checks.ts'));
    if (existsSync(path.join(root, checks))) scope.push(checks);
    // The check code of assignment.ts and of the problem files beside it (problems/, as
    // `mlgrade new-problem` writes them).
    const problemsDir = path.join(root, 'assignments', id, 'problems');
    const problemFiles = existsSync(problemsDir) ? readdirSync(problemsDir).filter((f) => f.endsWith('.ts')).sort().map((f) => posix(path.join('assignments', id, 'problems', f))) : [];
    for (const file of [posix(path.join('assignments', id, 'assignment.ts')), ...problemFiles]) {
      for (const range of checkRanges(file, readFileSync(path.join(root, file), 'utf8'))) scope.push(mutateEntry(file, range));
    }
  }
  return scope;
}

/**
 * Stryker's `mutate` list. With no assignment ids: the engine's check code and every
 * assignment's; with ids: only those assignments' check code, for quick work on one assignment.
 */
export function mutationScope(root: string, assignmentIds?: readonly string[]): string[] {
  const assignments = assignmentScope(root, assignmentIds);
  return assignmentIds && assignmentIds.length > 0 ? assignments : [...ENGINE_SCOPE, ...assignments];
}

/**
 * `npm run mutation` runs Stryker twice, each time with the tests that prove that code (see
 * vitest.mutation.config.ts): the engine with its unit tests, then the assignments' check code
 * with the unit tests and the in-process replays of whole gradings. The replays would also
 * reach the engine's mutants, but through the engine's hottest loops, which Stryker's
 * instrumentation slows several times over: run together they take hours instead of minutes.
 */
export type MutationPassName = 'engine' | 'assignments';

export interface MutationPass {
  name: MutationPassName;
  mutate: string[];
}

/**
 * The passes of one run: both for the whole scope (no ids, no `engine`); with assignment ids
 * the assignments pass over those only; with `engine` the engine pass (and, with ids too, the
 * assignments pass after it). One pass at a time is how CI keeps each job short as the pack
 * grows (.github/workflows/mutation.yml runs the engine and each assignment as jobs of their own).
 */
export function mutationPasses(root: string, assignmentIds: readonly string[] = [], options: { engine?: boolean } = {}): MutationPass[] {
  const whole = assignmentIds.length === 0 && !options.engine;
  const passes: MutationPass[] = [];
  if (whole || options.engine) passes.push({ name: 'engine', mutate: [...ENGINE_SCOPE] });
  if (whole || assignmentIds.length > 0) passes.push({ name: 'assignments', mutate: assignmentScope(root, assignmentIds) });
  return passes;
}
