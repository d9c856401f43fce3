/**
 * Checks for `node-embeddings`. Random walks come from the student's own generator, so walks
 * and embeddings are never compared with the reference's number for number: a walk is judged
 * by what every walk must be (steps along edges, counts, lengths, a seed that fixes it, uniform
 * steps by a chi-square test), and an embedding by its structure (U_k·sqrt(Σ_k) has orthogonal
 * columns whose squared lengths are the singular values of the PPMI matrix) and by what it is
 * for (nearest neighbours that share a faction, a group or a block). Co-occurrence counts are
 * deterministic and compared exactly.
 */
import { formatNumber } from '../../grader/src/checks/allclose.ts';
import { allOf, fail, invariant, pass, type Verdict } from '../../grader/src/checks/verdict.ts';
import type { Matrix } from '../../grader/src/linalg/dense.ts';
import type { Graph } from '../../solutions/node-embeddings/graph.ts';

const fmt = (value: number): string => formatNumber(value);

/** Each node's neighbours, sorted: the grader's own, to judge walks with. */
export function neighbourSets(graph: Graph): Array<Set<number>> {
  const sets = Array.from({ length: graph.n }, () => new Set<number>());
  for (const [u, v] of graph.edges) {
    sets[u].add(v);
    sets[v].add(u);
  }
  return sets;
}

/** The first place two adjacency lists differ, or a pass. */
export function checkAdjacency(graph: Graph, answer: number[][], expected: number[][]): Verdict {
  if (answer.length !== graph.n) return fail(`expected a list for each of the ${graph.n} nodes, got ${answer.length}`);
  for (let u = 0; u < graph.n; u++) {
    const got = answer[u];
    const want = expected[u];
    if (got.length !== want.length || got.some((v, i) => v !== want[i])) {
      const sorted = [...got].sort((a, b) => a - b);
      const why = sorted.every((v, i) => v === want[i]) && sorted.length === want.length ? ' (the right nodes, but not in increasing order)' : '';
      return fail(`node ${u}: expected neighbours [${want.join(', ')}], got [${got.join(', ')}]${why}`, { node: u });
    }
  }
  return pass(`${graph.n} nodes, ${graph.edges.length} edges`);
}

/**
 * Everything a set of walks must be: n·walksPerNode walks, each node the start of exactly
 * walksPerNode of them, each of walkLength nodes (a node without neighbours: just itself), and
 * every step along an edge of the graph.
 */
export function checkWalkShape(graph: Graph, walksPerNode: number, walkLength: number, walks: number[][], label = ''): Verdict {
  const neighbours = neighbourSets(graph);
  if (walks.length !== graph.n * walksPerNode) {
    return fail(`${label}expected ${graph.n * walksPerNode} walks (${walksPerNode} from each of the ${graph.n} nodes), got ${walks.length}`);
  }
  const starts = new Array<number>(graph.n).fill(0);
  for (const [w, walk] of walks.entries()) {
    const start = walk[0];
    if (!Number.isInteger(start) || start < 0 || start >= graph.n) return fail(`${label}walk ${w} starts at ${String(start)}, which is not a node`);
    starts[start]++;
    const length = neighbours[start].size === 0 ? 1 : walkLength;
    if (walk.length !== length) {
      return fail(`${label}walk ${w} (from node ${start}) has ${walk.length} nodes; expected ${length}${length === 1 ? ': the node has no neighbours, so its walk is just [node]' : ' (the start counts as one)'}`);
    }
    for (let i = 1; i < walk.length; i++) {
      if (!neighbours[walk[i - 1]].has(walk[i])) {
        const how = walk[i] === walk[i - 1] ? ' (the walk stood still: every step must move to a neighbour)' : '';
        return fail(`${label}walk ${w} steps from ${walk[i - 1]} to ${walk[i]} at position ${i}, and there is no such edge${how}`, { walk: w, position: i });
      }
    }
  }
  const node = starts.findIndex((count) => count !== walksPerNode);
  return node >= 0 ? fail(`${label}node ${node} starts ${starts[node]} walks; every node must start exactly ${walksPerNode}`) : pass();
}

/** Two sets of walks are the same, walk for walk and step for step. */
export function sameWalks(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((walk, w) => walk.length === b[w].length && walk.every((v, i) => v === b[w][i]));
}

/**
 * The chi-square statistic of every step's choice of neighbour against a uniform choice, its
 * degrees of freedom (Σ (degree − 1) over the nodes left by some step) and the upper-tail
 * z-score of the statistic (Wilson–Hilferty's normal approximation, accurate for the hundreds
 * of degrees of freedom here).
 */
export function transitionChiSquare(graph: Graph, walks: number[][]): { statistic: number; dof: number; z: number } {
  const counts = neighbourSets(graph).map((set) => new Map([...set].map((v) => [v, 0])));
  for (const walk of walks) for (let i = 1; i < walk.length; i++) counts[walk[i - 1]].set(walk[i], (counts[walk[i - 1]].get(walk[i]) ?? 0) + 1);
  let statistic = 0;
  let dof = 0;
  for (const node of counts) {
    const total = [...node.values()].reduce((a, b) => a + b, 0);
    // A node never left adds nothing; one with a single neighbour adds 0 on 0 degrees of freedom.
    if (total === 0) continue;
    const expected = total / node.size;
    for (const count of node.values()) statistic += (count - expected) ** 2 / expected;
    dof += node.size - 1;
  }
  const h = 2 / (9 * dof);
  return { statistic, dof, z: dof === 0 ? 0 : (Math.cbrt(statistic / dof) - (1 - h)) / Math.sqrt(h) };
}

/** A chi-square z-score above this fails: a correct walk exceeds it with probability about 1e-6. */
export const CHI_SQUARE_Z = 4.75;

/** The first entry of a count matrix that differs from the expected one, or a pass. */
export function checkCounts(answer: Matrix, expected: Matrix): Verdict {
  // Stryker disable next-line OptionalChaining: answer[0] is read only when answer has as many rows as expected, at least one
  if (answer.length !== expected.length || answer[0]?.length !== expected.length) {
    return fail(`expected a ${expected.length}×${expected.length} matrix, got ${answer.length}×${answer[0]?.length ?? 0}`);
  }
  for (let u = 0; u < expected.length; u++) {
    // Stryker disable next-line EqualityOperator: v = n compares two undefined entries (the output schema makes every row as long as the first)
    for (let v = 0; v < expected.length; v++) {
      if (answer[u][v] !== expected[u][v]) {
        // (answer[u][v] differs from expected[u][v], so it then differs from answer[v][u] too.)
        const transposed = answer[v][u] === expected[u][v] ? ` (C[${v}][${u}] is ${answer[v][u]}: C must be symmetric)` : '';
        return fail(`C[${u}][${v}] is ${fmt(answer[u][v])}; expected ${fmt(expected[u][v])}${transposed}`, { u, v });
      }
    }
  }
  return pass();
}

/** Rows scaled to unit length (a zero row stays zero). */
function unitRows(E: Matrix): Matrix {
  return E.map((row) => {
    const norm = Math.hypot(...row);
    return norm > 0 ? row.map((x) => x / norm) : row.map(() => 0);
  });
}

/** Cosine similarities of every pair of rows. */
export function cosineMatrix(E: Matrix): Matrix {
  const X = unitRows(E);
  return X.map((a) => X.map((b) => a.reduce((sum, x, j) => sum + x * b[j], 0)));
}

/**
 * Leave-one-out nearest-neighbour accuracy: the share of nodes whose most similar other node
 * (by cosine; ties to the lower index) has the same label.
 */
export function nearestNeighbourAccuracy(E: Matrix, labels: readonly number[]): number {
  const S = cosineMatrix(E);
  let right = 0;
  for (let i = 0; i < S.length; i++) {
    let best = -1;
    // Stryker disable next-line EqualityOperator: j = n reads past the row's end, and undefined is never greater
    for (let j = 0; j < S.length; j++) if (j !== i && (best < 0 || S[i][j] > S[i][best])) best = j;
    if (labels[best] === labels[i]) right++;
  }
  return right / S.length;
}

/** Pearson's correlation of two equally long lists. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const centred = (x: readonly number[]) => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    return x.map((v) => v - mean);
  };
  const [da, db] = [centred(a), centred(b)];
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
  const [aa, bb] = [dot(da, da), dot(db, db)];
  return aa > 0 && bb > 0 ? dot(da, db) / Math.sqrt(aa * bb) : 0;
}

/** EᵀE: the inner products of the embedding's columns. */
export function gramOfColumns(E: Matrix): Matrix {
  const k = E[0]?.length ?? 0;
  return Array.from({ length: k }, (_, a) => Array.from({ length: k }, (__, b) => E.reduce((sum, row) => sum + row[a] * row[b], 0)));
}

/** The squared length of each column of E: σ_1, …, σ_k for U_k·sqrt(Σ_k). */
export const squaredLengths = (E: Matrix): number[] => gramOfColumns(E).map((row, a) => row[a]);

/** How far off-diagonal entries of EᵀE may be, relative to its largest entry: an SVD's columns are orthogonal to rounding. */
export const ORTHOGONALITY = 1e-8;
/**
 * How far a column's squared length may be from the reference's singular value (as a ratio):
 * two runs of the reference with different walks differ by at most 1.25× (100 seeds each on the
 * karate club, Les Misérables and block models); U_k alone (ratio 1/σ), Σ_k (σ) and raw counts
 * (hundreds) are far outside.
 */
export const SINGULAR_VALUE_RATIO = 1.5;

/**
 * An embedding has the structure of U_k·sqrt(Σ_k): n rows of k, columns orthogonal, their
 * squared lengths in decreasing order and each within SINGULAR_VALUE_RATIO of the reference's
 * σ_i (computed from the reference's own walks).
 */
export function checkFactorization(E: Matrix, n: number, k: number, referenceSingularValues: readonly number[]): Verdict {
  if (E.length !== n || E.some((row) => row.length !== k)) return fail(`expected ${n} rows (one per node) of ${k} numbers, got ${E.length} rows of ${E[0]?.length ?? 0}`);
  const gram = gramOfColumns(E);
  const scale = Math.max(...gram.map((row, a) => row[a]));
  const checks: Verdict[] = [];
  let worst = { error: 0, a: 0, b: 0 };
  // Stryker disable next-line EqualityOperator: a ≤ k leaves the inner loop empty; b ≤ k reads an entry past the end, whose NaN is never the largest
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) if (Math.abs(gram[a][b]) > worst.error) worst = { error: Math.abs(gram[a][b]), a, b };
  checks.push(invariant(worst.error <= ORTHOGONALITY * scale, `columns ${worst.a} and ${worst.b} of the embedding are not orthogonal (their inner product is ${fmt(worst.error)}, the largest squared column length ${fmt(scale)}): the columns of U_k·sqrt(Σ_k) are`));
  const squared = gram.map((row, a) => row[a]);
  // Stryker disable next-line EqualityOperator: a column longer than the one before by exactly ORTHOGONALITY of it, to the last bit, has probability zero
  const unordered = squared.slice(1).findIndex((s, a) => s > squared[a] * (1 + ORTHOGONALITY));
  checks.push(invariant(unordered < 0, `column ${unordered + 1} is longer than column ${unordered}: order the columns by decreasing singular value`));
  const off = squared.findIndex((s, a) => !(s <= SINGULAR_VALUE_RATIO * referenceSingularValues[a] && s * SINGULAR_VALUE_RATIO >= referenceSingularValues[a]));
  if (off >= 0) {
    checks.push(
      fail(
        `column ${off} has squared length ${fmt(squared[off])}, but the PPMI matrix's singular value σ_${off + 1} is about ${fmt(referenceSingularValues[off])} (from the reference's walks): the columns of U_k·sqrt(Σ_k) have squared lengths σ_1, …, σ_k`,
        { squared, referenceSingularValues },
      ),
    );
  }
  return allOf(checks);
}
