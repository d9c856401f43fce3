import seedrandom from 'seedrandom';
type Graph = { n: number; edges: [number, number][] };

function neighboursOf(graph: Graph): number[][] {
  const neighbours: number[][] = Array.from({ length: graph.n }, () => []);
  for (const [u, v] of graph.edges) {
    neighbours[u].push(v);
    neighbours[v].push(u);
  }
  return neighbours.map((list) => list.sort((a, b) => a - b));
}

/** The random index runs over 0 … degree − 2: the last neighbour is never chosen (unless it is the only one). */
export function randomWalks(graph: Graph, walksPerNode: number, walkLength: number, seed: number): number[][] {
  const random = seedrandom(String(seed));
  const neighbours = neighboursOf(graph);
  const walks: number[][] = [];
  for (let round = 0; round < walksPerNode; round++) {
    for (let start = 0; start < graph.n; start++) {
      const walk = [start];
      if (neighbours[start].length > 0) {
        while (walk.length < walkLength) {
          const here = neighbours[walk[walk.length - 1]];
          walk.push(here[Math.floor(random() * Math.max(1, here.length - 1))]);
        }
      }
      walks.push(walk);
    }
  }
  return walks;
}
