// U_k·Σ_k: the columns are scaled by σ, not sqrt(σ).
import { Matrix as MlMatrix, SVD } from 'ml-matrix';
import seedrandom from 'seedrandom';

export type Matrix = number[][];

/** An undirected graph on the nodes 0 … n − 1, each edge listed once, no self-loops. */
export type Graph = { n: number; edges: [number, number][] };

/** Each node's neighbours, in increasing order. */
function adjacencyList(graph: Graph): number[][] {
  const neighbours: number[][] = Array.from({ length: graph.n }, () => []);
  for (const [u, v] of graph.edges) {
    neighbours[u].push(v);
    neighbours[v].push(u);
  }
  return neighbours.map((list) => list.sort((a, b) => a - b));
}

/**
 * `walksPerNode` rounds; in each, one walk from every node in turn. A walk holds `walkLength`
 * nodes, its start included; each step moves to a neighbour drawn uniformly at random. A node
 * without neighbours has the walk `[node]`.
 */
function randomWalks(graph: Graph, walksPerNode: number, walkLength: number, seed: number): number[][] {
  const random = seedrandom(String(seed));
  const neighbours = adjacencyList(graph);
  const walks: number[][] = [];
  for (let round = 0; round < walksPerNode; round++) {
    for (let start = 0; start < graph.n; start++) {
      const walk = [start];
      if (neighbours[start].length > 0) {
        while (walk.length < walkLength) {
          const here = neighbours[walk[walk.length - 1]];
          walk.push(here[Math.floor(random() * here.length)]);
        }
      }
      walks.push(walk);
    }
  }
  return walks;
}

/** C[u][v]: how often v is within `window` steps of u in a walk, over every position of every walk (symmetric). */
function walkCooccurrence(walks: number[][], n: number, window: number): Matrix {
  const C: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const walk of walks) {
    for (let i = 0; i < walk.length; i++) {
      for (let j = Math.max(0, i - window); j <= Math.min(walk.length - 1, i + window); j++) {
        if (j !== i) C[walk[i]][walk[j]] += 1;
      }
    }
  }
  return C;
}

/** Positive pointwise mutual information: max(0, log(C_ij·N / (row_i·col_j))), 0 where C_ij = 0. */
function ppmi(C: Matrix): Matrix {
  const rows = C.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = C[0].map((_, j) => C.reduce((sum, row) => sum + row[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  return C.map((row, i) => row.map((c, j) => (c > 0 ? Math.max(0, Math.log((c * total) / (rows[i] * cols[j]))) : 0)));
}

/** DeepWalk as a factorization: the PPMI of the walks' co-occurrence, then U_k·sqrt(Σ_k) from its SVD. */
export function nodeEmbeddings(graph: Graph, k: number, options: { walksPerNode: number; walkLength: number; window: number; seed: number }): Matrix {
  const walks = randomWalks(graph, options.walksPerNode, options.walkLength, options.seed);
  const M = ppmi(walkCooccurrence(walks, graph.n, options.window));
  const svd = new SVD(new MlMatrix(M), { computeLeftSingularVectors: true, computeRightSingularVectors: false, autoTranspose: false });
  const U = svd.leftSingularVectors.to2DArray();
  const S = svd.diagonal;
  return U.map((row) => Array.from({ length: k }, (_, j) => row[j] * S[j]));
}
