import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Two real graphs, as data: Zachary's karate club, entered here, and the co-appearance network
 * of Les Misérables, read from the npm package `vega-datasets`. Undirected, without self-loops
 * or repeated edges; nodes are numbered from 0.
 */
export interface LabelledGraph {
  n: number;
  /** Each edge once, as [u, v] with u < v, sorted. */
  edges: Array<[number, number]>;
  /** One label per node (a faction, a group). */
  labels: number[];
  /** One name per node. */
  names: string[];
}

/**
 * Zachary's karate club (W. W. Zachary, "An information flow model for conflict and fission in
 * small groups", J. Anthropological Research 33, 1977): the 78 friendships among 34 members of a
 * university karate club that split in two, as networkx's `karate_club_graph` gives it. Label 0:
 * the members who followed the instructor, Mr. Hi (node 0); label 1: those who stayed with the
 * club's officer (node 33). 17 each.
 */
const KARATE_EDGES: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0, 6], [0, 7], [0, 8], [0, 10], [0, 11], [0, 12], [0, 13], [0, 17], [0, 19], [0, 21], [0, 31],
  [1, 2], [1, 3], [1, 7], [1, 13], [1, 17], [1, 19], [1, 21], [1, 30], [2, 3], [2, 7], [2, 8], [2, 9], [2, 13], [2, 27], [2, 28], [2, 32],
  [3, 7], [3, 12], [3, 13], [4, 6], [4, 10], [5, 6], [5, 10], [5, 16], [6, 16], [8, 30], [8, 32], [8, 33], [9, 33], [13, 33], [14, 32],
  [14, 33], [15, 32], [15, 33], [18, 32], [18, 33], [19, 33], [20, 32], [20, 33], [22, 32], [22, 33], [23, 25], [23, 27], [23, 29],
  [23, 32], [23, 33], [24, 25], [24, 27], [24, 31], [25, 31], [26, 29], [26, 33], [27, 33], [28, 31], [28, 33], [29, 32], [29, 33],
  [30, 32], [30, 33], [31, 32], [31, 33], [32, 33],
];
const KARATE_FACTIONS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

export const KARATE_CREDIT = "Zachary's karate club (W. W. Zachary, 1977): 34 members, 78 friendships, two factions of 17 after the club split.";

export function karateClub(): LabelledGraph {
  return {
    n: 34,
    edges: KARATE_EDGES.map(([u, v]) => [u, v]),
    labels: [...KARATE_FACTIONS],
    names: KARATE_FACTIONS.map((_, i) => (i === 0 ? 'Mr. Hi' : i === 33 ? 'Officer' : `member ${i}`)),
  };
}

interface MiserablesJson {
  nodes: Array<{ name: string; group: number; index: number }>;
  links: Array<{ source: number; target: number; value: number }>;
}

export const MISERABLES_CREDIT =
  "Characters of Victor Hugo's Les Misérables who appear together in a chapter (D. E. Knuth, The Stanford GraphBase, 1993), from the npm package vega-datasets (BSD-3-Clause): 77 characters, 254 co-appearances, groups from a community detection.";

let miserables: LabelledGraph | undefined;

/** The co-appearance network of Les Misérables (vega-datasets' `miserables.json`); labels are its `group`s. */
export function lesMiserables(): LabelledGraph {
  if (!miserables) {
    // The package exports only a module that fetches over the network: its data folder is read directly.
    const entry = createRequire(import.meta.url).resolve('vega-datasets'); // <package>/build/index.js
    const json = JSON.parse(readFileSync(path.join(path.dirname(entry), '../data/miserables.json'), 'utf8')) as MiserablesJson;
    const seen = new Set<string>();
    const edges: Array<[number, number]> = [];
    for (const { source, target } of json.links) {
      const [u, v] = source < target ? [source, target] : [target, source];
      if (u === v || seen.has(`${u},${v}`)) continue;
      seen.add(`${u},${v}`);
      edges.push([u, v]);
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const nodes = [...json.nodes].sort((a, b) => a.index - b.index);
    miserables = { n: nodes.length, edges, labels: nodes.map((node) => node.group), names: nodes.map((node) => node.name) };
  }
  return { ...miserables, edges: miserables.edges.map(([u, v]) => [u, v]), labels: [...miserables.labels], names: [...miserables.names] };
}
