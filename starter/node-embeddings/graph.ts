// node-embeddings — your implementation goes here.
//
// Rules of the game:
//   • A graph has nodes 0 … n − 1 and lists each undirected edge once, as [u, v] in either
//     order; there are no self-loops and no repeated edges.
//   • Matrices are plain nested arrays: M[i][j] is row i, column j.
//   • Return NEW arrays; never modify an argument (the caller may reuse it).
//   • You may import `seedrandom` (a seeded random generator), `ml-matrix` (it has an SVD) and
//     `@tensorflow/tfjs`. Any correct method gets full marks.
//   • Keep the signatures exactly as they are.
// Run `npm run grade -- node-embeddings` to check your work.

export type Matrix = number[][];

/** An undirected graph on the nodes 0 … n − 1, each edge listed once, no self-loops. */
export type Graph = { n: number; edges: [number, number][] };

/** Each node's neighbours, in increasing order: the list for node u holds every v with an edge {u, v}. */
export function adjacencyList(graph: Graph): number[][] {
  throw new Error('not implemented: adjacencyList');
}

/**
 * `walksPerNode` walks from every node. A walk is a list of `walkLength` nodes, its start
 * included; each step moves to a neighbour of the current node chosen uniformly at random, with
 * a generator seeded with `seed` (the same seed must give the same walks). A node without
 * neighbours has the walk `[node]`.
 */
export function randomWalks(graph: Graph, walksPerNode: number, walkLength: number, seed: number): number[][] {
  throw new Error('not implemented: randomWalks');
}

/**
 * The n×n co-occurrence matrix of the walks: for every walk and every pair of its positions i ≠ j
 * with |i − j| ≤ window, add 1 to C[walk[i]][walk[j]]. (So C is symmetric.)
 */
export function walkCooccurrence(walks: number[][], n: number, window: number): Matrix {
  throw new Error('not implemented: walkCooccurrence');
}

/**
 * DeepWalk as a factorization: random walks (randomWalks with the options), their co-occurrence
 * (walkCooccurrence), its PPMI matrix M, and from the SVD M = UΣVᵀ the n×k matrix U_k·sqrt(Σ_k):
 * row i is node i's embedding.
 */
export function nodeEmbeddings(graph: Graph, k: number, options: { walksPerNode: number; walkLength: number; window: number; seed: number }): Matrix {
  throw new Error('not implemented: nodeEmbeddings');
}
