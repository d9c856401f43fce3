type Graph = { n: number; edges: [number, number][] };

/** Each edge recorded at one end only: the graph becomes directed. */
export function adjacencyList(graph: Graph): number[][] {
  const neighbours: number[][] = Array.from({ length: graph.n }, () => []);
  for (const [u, v] of graph.edges) neighbours[u].push(v);
  return neighbours.map((list) => list.sort((a, b) => a - b));
}
