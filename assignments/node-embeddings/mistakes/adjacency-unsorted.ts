type Graph = { n: number; edges: [number, number][] };

/** Neighbours in the order the edges are listed, not sorted. */
export function adjacencyList(graph: Graph): number[][] {
  const neighbours: number[][] = Array.from({ length: graph.n }, () => []);
  for (const [u, v] of graph.edges) {
    neighbours[u].push(v);
    neighbours[v].push(u);
  }
  return neighbours;
}
