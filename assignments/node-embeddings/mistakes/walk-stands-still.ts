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

/** Each step draws from the neighbours and the current node: a lazy walk that may stand still. */
export function randomWalks(graph: Graph, walksPerNode: number, walkLength: number, seed: number): number[][] {
  const random = seedrandom(String(seed));
  const neighbours = neighboursOf(graph);
  const walks: number[][] = [];
  for (let round = 0; round < walksPerNode; round++) {
    for (let start = 0; start < graph.n; start++) {
      const walk = [start];
      if (neighbours[start].length > 0) {
        while (walk.length < walkLength) {
          const here = walk[walk.length - 1];
          const choices = [here, ...neighbours[here]];
          walk.push(choices[Math.floor(random() * choices.length)]);
        }
      }
      walks.push(walk);
    }
  }
  return walks;
}
