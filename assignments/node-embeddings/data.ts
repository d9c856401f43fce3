import type { Rng } from '../../grader/src/cases/rng.ts';
import type { Graph } from '../../solutions/node-embeddings/graph.ts';

/** A graph with the node labels of its cases: factions, groups or blocks. */
export interface Labelled {
  graph: Graph;
  labels: number[];
}

/**
 * A stochastic block model: blocks of the given sizes, each pair of nodes joined with
 * probability `pIn` inside a block and `pOut` across. Nodes are shuffled, so a block is not a
 * run of consecutive numbers.
 */
export function blockModel(rng: Rng, sizes: readonly number[], pIn: number, pOut: number): Labelled {
  const blocks = sizes.flatMap((size, block) => new Array<number>(size).fill(block));
  const order = shuffled(rng, blocks.length);
  const byNode: number[] = new Array<number>(blocks.length);
  blocks.forEach((block, i) => {
    byNode[order[i]] = block;
  });
  const edges: Array<[number, number]> = [];
  for (let u = 0; u < byNode.length; u++) {
    for (let v = u + 1; v < byNode.length; v++) if (rng.next() < (byNode[u] === byNode[v] ? pIn : pOut)) edges.push([u, v]);
  }
  return { graph: { n: byNode.length, edges }, labels: byNode };
}

/** The numbers 0 … n − 1 in a random order (Fisher–Yates). */
export function shuffled(rng: Rng, n: number): number[] {
  const order = Array.from({ length: n }, (_, node) => node);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The graph with node i renamed `relabel[i]`, its edges listed in a random order and orientation. */
export function relabelled(rng: Rng, graph: Graph, relabel: readonly number[]): Graph {
  const edges = graph.edges.map(([u, v]): [number, number] => (rng.next() < 0.5 ? [relabel[u], relabel[v]] : [relabel[v], relabel[u]]));
  return { n: graph.n, edges: shuffled(rng, edges.length).map((i) => edges[i]) };
}

/** A random graph on n nodes with about `meanDegree` neighbours each; the last `isolated` nodes have none. */
export function randomGraph(rng: Rng, n: number, meanDegree: number, isolated = 0): Graph {
  const edges: Array<[number, number]> = [];
  const linked = n - isolated;
  for (let u = 0; u < linked; u++) for (let v = u + 1; v < linked; v++) if (rng.next() < meanDegree / (linked - 1)) edges.push([u, v]);
  return relabelled(rng, { n, edges }, Array.from({ length: n }, (_, i) => i));
}
