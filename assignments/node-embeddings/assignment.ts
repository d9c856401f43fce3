import { z } from 'zod';
import { defineAssignment, problem } from '../../grader/src/assignment/define.ts';
import type { CheckContext } from '../../grader/src/assignment/define.ts';
import type { Rng } from '../../grader/src/cases/rng.ts';
import { sameAs } from '../../grader/src/checks/mistakes.ts';
import { matrix, vector } from '../../grader/src/checks/values.ts';
import { allOf, invariant, type Verdict } from '../../grader/src/checks/verdict.ts';
import { karateClub, KARATE_CREDIT, lesMiserables } from '../../grader/src/data/graphs.ts';
import { scatterPlot } from '../../grader/src/report/figures.ts';
import * as reference from '../../solutions/node-embeddings/graph.ts';
import type { Graph } from '../../solutions/node-embeddings/graph.ts';
import {
  CHI_SQUARE_Z,
  checkAdjacency,
  checkCounts,
  checkFactorization,
  checkWalkShape,
  correlation,
  cosineMatrix,
  nearestNeighbourAccuracy,
  neighbourSets,
  sameWalks,
  squaredLengths,
  transitionChiSquare,
} from './checks.ts';
import { blockModel, type Labelled, randomGraph, relabelled, shuffled } from './data.ts';
import * as oneWay from './mistakes/adjacency-one-way.ts';
import * as unsorted from './mistakes/adjacency-unsorted.ts';
import * as oneSided from './mistakes/cooccurrence-one-sided.ts';
import * as windowExclusive from './mistakes/cooccurrence-window-exclusive.ts';

type WalkArgs = [Graph, number, number, number];
type EmbedOptions = { walksPerNode: number; walkLength: number; window: number; seed: number };
type EmbedArgs = [Graph, number, EmbedOptions];

/** Lists of node numbers, one per node or per walk: rows of different lengths. */
const lists = z.array(vector);

/** A seed for the student's generator, from the case's. */
const seedOf = (rng: Rng): number => rng.int(1, 2 ** 31 - 1);

const karate = (): Labelled => {
  const { n, edges, labels } = karateClub();
  return { graph: { n, edges }, labels };
};
const miserables = (): Labelled => {
  const { n, edges, labels } = lesMiserables();
  return { graph: { n, edges }, labels };
};

/** Walks long and many enough that every node's steps are counted dozens of times: the chi-square test applies. */
const UNIFORM_WALKS_PER_NODE = 100;

// ── randomWalks ─────────────────────────────────────────────────────────────────────────────

/** The same seed twice, then another: the walks must repeat, then change. */
function seedCalls(graph: (rng: Rng) => Graph, walksPerNode: number, walkLength: number) {
  return (rng: Rng): WalkArgs[] => {
    const g = graph(rng);
    const seed = seedOf(rng);
    return [[g, walksPerNode, walkLength, seed], [g, walksPerNode, walkLength, seed], [g, walksPerNode, walkLength, seed + 1]];
  };
}

function checkWalks(ctx: CheckContext<WalkArgs, number[][]>): Verdict {
  const verdicts: Verdict[] = [];
  for (const [i, { args: [graph, walksPerNode, walkLength], output }] of ctx.calls.entries()) {
    const label = ctx.calls.length > 1 ? `call ${i + 1}: ` : '';
    const shape = checkWalkShape(graph, walksPerNode, walkLength, output, label);
    verdicts.push(shape);
    if (shape.score < 1 || walksPerNode < UNIFORM_WALKS_PER_NODE) continue;
    const { statistic, dof, z: score } = transitionChiSquare(graph, output);
    verdicts.push(
      invariant(
        // Stryker disable next-line EqualityOperator: a z-score of exactly 4.75 to the last bit has probability zero
        score <= CHI_SQUARE_Z,
        `${label}the steps are not uniform over the neighbours: chi-square ${statistic.toFixed(1)} on ${dof} degrees of freedom (z = ${score.toFixed(2)}; a uniform choice exceeds z = ${CHI_SQUARE_Z} about once in a million)`,
        { statistic, dof, z: score },
      ),
    );
  }
  const [first, second, third] = ctx.calls;
  if (second && first.args[3] === second.args[3]) verdicts.push(invariant(sameWalks(first.output, second.output), 'the same seed gave different walks: draw every step from a generator seeded with `seed` (e.g. seedrandom(String(seed)))'));
  if (third && third.args[3] !== first.args[3]) verdicts.push(invariant(!sameWalks(first.output, third.output), 'another seed gave the same walks: the steps must come from the generator seeded with `seed`'));
  return allOf(verdicts);
}

/**
 * Some call's walks stand still often: at least STILL_STEPS times and in at least STILL_SHARE of
 * their steps (a lazy walk does at every step with probability 1/(degree + 1), 1/18 or more
 * here); a walk that stands still once has some other fault.
 */
function standsStill(ctx: CheckContext<WalkArgs, number[][]>): boolean {
  return ctx.calls.some(({ output }) => {
    const steps = output.reduce((sum, walk) => sum + Math.max(0, walk.length - 1), 0);
    const still = output.reduce((sum, walk) => sum + walk.slice(1).filter((v, i) => v === walk[i]).length, 0);
    return still >= STILL_STEPS && still >= STILL_SHARE * steps;
  });
}

export const STILL_STEPS = 10;
export const STILL_SHARE = 0.02;

/** Some node left at least 30 times per neighbour never went to one of its neighbours. */
function neverChosen(ctx: CheckContext<WalkArgs, number[][]>): boolean {
  return ctx.calls.some(({ args: [graph], output }) => {
    const neighbours = neighbourSets(graph);
    const steps = neighbours.map(() => new Set<number>());
    const left = neighbours.map(() => 0);
    for (const walk of output) {
      for (let i = 1; i < walk.length; i++) {
        const from = walk[i - 1];
        if (!(from >= 0 && from < graph.n)) return false;
        left[from]++;
        steps[from].add(walk[i]);
      }
    }
    return neighbours.some((set, node) => set.size >= 2 && left[node] >= 30 * set.size && [...set].some((v) => !steps[node].has(v)));
  });
}

// ── walkCooccurrence ────────────────────────────────────────────────────────────────────────

/** The reference's walks on a graph, as the arguments of walkCooccurrence. */
function cooccurrenceCase(graph: (rng: Rng) => Graph, walksPerNode: number, walkLength: number, window: number) {
  return (rng: Rng): [number[][], number, number] => {
    const g = graph(rng);
    return [reference.randomWalks(g, walksPerNode, walkLength, seedOf(rng)), g.n, window];
  };
}

// ── nodeEmbeddings ──────────────────────────────────────────────────────────────────────────

/**
 * Leave-one-out nearest-neighbour accuracy each graph's embedding must reach. Measured for the
 * reference with 60 seeds each (k and options as in the cases): the karate club 0.91–0.97 (k =
 * 4), Les Misérables 0.82–0.90 (k = 8; groups of one to three characters cannot be guessed),
 * three blocks of 20 at p = 0.3/0.03 0.90–1.
 */
export const ACCURACY = { karate: 0.85, miserables: 0.7, blocks: 0.8 } as const;
/** Relabelling the nodes and redrawing the walks: the cosine matrices correlate at 0.978–0.998 (40 relabellings). */
export const RELABEL_CORRELATION = 0.9;

const OPTIONS = { walksPerNode: 10, walkLength: 40, window: 5 } as const;

/** A case of nodeEmbeddings on a labelled graph: its graph, k, and the accuracy its embedding must reach. */
interface EmbedCase {
  name: string;
  hidden?: true;
  k: number;
  graph: (rng: Rng) => Labelled;
  threshold: number;
  /** What a label is, in messages: a faction, a group, a block. */
  what: string;
}

const EMBED_CASES: readonly EmbedCase[] = [
  { name: 'the karate club, k = 4: do neighbours share a faction?', k: 4, graph: karate, threshold: ACCURACY.karate, what: 'faction' },
  { name: 'Les Misérables, k = 8: do neighbours share a group?', k: 8, graph: miserables, threshold: ACCURACY.miserables, what: 'group' },
  { name: 'three blocks of 20 (p = 0.3 within, 0.03 across), k = 6', hidden: true, k: 6, graph: (rng) => blockModel(rng, [20, 20, 20], 0.3, 0.03), threshold: ACCURACY.blocks, what: 'block' },
  { name: 'the karate club, another seed', hidden: true, k: 4, graph: karate, threshold: ACCURACY.karate, what: 'faction' },
];

/** The graph first, then the seed; the same arguments twice (the embedding must be a function of them). */
function embedCalls({ graph, k }: EmbedCase) {
  return (rng: Rng): EmbedArgs[] => {
    const { graph: g } = graph(rng);
    const options = { ...OPTIONS, seed: seedOf(rng) };
    return [[g, k, options], [g, k, { ...options }]];
  };
}

function checkEmbedding(ctx: CheckContext<EmbedArgs, number[][]>, labels: readonly number[], threshold: number, what: string): Verdict {
  const [graph, k] = ctx.args;
  const structure = checkFactorization(ctx.output, graph.n, k, squaredLengths(ctx.expected));
  if (structure.score < 1) return structure;
  const verdicts: Verdict[] = [];
  const [, again] = ctx.calls;
  if (again) {
    const same = again.output.every((row, i) => row.every((x, j) => x === ctx.output[i][j]));
    verdicts.push(invariant(same, 'the same arguments (the same seed) gave a different embedding: draw the walks from a generator seeded with options.seed'));
  }
  const accuracy = nearestNeighbourAccuracy(ctx.output, labels);
  verdicts.push(accuracyVerdict(accuracy, nearestNeighbourAccuracy(ctx.expected, labels), threshold, what));
  const verdict = allOf(verdicts);
  return { ...verdict, message: verdict.score === 1 ? `nearest-neighbour ${what} accuracy ${accuracy.toFixed(3)} (at least ${threshold} needed)` : verdict.message, metrics: { accuracy } };
}

/** The share of nodes whose nearest neighbour shares their label, against the threshold (the reference's share for comparison). */
export function accuracyVerdict(accuracy: number, referenceAccuracy: number, threshold: number, what: string): Verdict {
  return invariant(
    accuracy >= threshold,
    `for ${(100 * (1 - accuracy)).toFixed(0)} % of the nodes, the most similar other node (by cosine) is of another ${what}; at most ${(100 * (1 - threshold)).toFixed(0)} % may be (the reference: ${(100 * (1 - referenceAccuracy)).toFixed(0)} % here)`,
    { accuracy },
  );
}

function embeddingFigure(ctx: CheckContext<EmbedArgs, number[][]>, labels: readonly number[], names: readonly string[], title: string, caption: string) {
  return scatterPlot(
    title,
    ctx.output.map((row, i) => ({ x: row[0], y: row[1], group: names[labels[i]] ?? String(labels[i]) })),
    { xLabel: 'coordinate 1', yLabel: 'coordinate 2', caption },
  );
}

function checkRelabelled(ctx: CheckContext<EmbedArgs, number[][]>): Verdict {
  const [first, second] = ctx.calls;
  const [graph, k] = first.args;
  const structure = allOf([checkFactorization(first.output, graph.n, k, squaredLengths(first.expected)), checkFactorization(second.output, graph.n, k, squaredLengths(second.expected))]);
  if (structure.score < 1) return structure;
  // The case's generator draws the renumbering first: drawn again from the case's seed.
  const relabel = shuffled(ctx.inputRng(), graph.n);
  const a = cosineMatrix(first.output);
  const b = cosineMatrix(second.output);
  const pairsA: number[] = [];
  const pairsB: number[] = [];
  // Stryker disable next-line EqualityOperator: u = n leaves the inner loop empty
  for (let u = 0; u < graph.n; u++) {
    for (let v = u + 1; v < graph.n; v++) {
      pairsA.push(a[u][v]);
      pairsB.push(b[relabel[u]][relabel[v]]);
    }
  }
  const r = correlation(pairsA, pairsB);
  return invariant(
    // Stryker disable next-line EqualityOperator: a correlation of exactly 0.9 to the last bit has probability zero
    r >= RELABEL_CORRELATION,
    `renumbering the nodes changed which nodes are similar: the cosine similarities of node pairs before and after correlate at ${r.toFixed(3)} (at least ${RELABEL_CORRELATION}; random walks alone give 0.98 or more). Does your code treat a node differently because of its number?`,
    { correlation: r },
  );
}

const RELABEL_CASE = 'the karate club renumbered: the same similarities';

/** The karate club, and the same club with its members renumbered (member i becomes relabel[i]) and its edges shuffled. */
function relabelCalls(k: number) {
  return (rng: Rng): EmbedArgs[] => {
    const { graph } = karate();
    const relabel = shuffled(rng, graph.n);
    const renamed = relabelled(rng, graph, relabel);
    const options = { ...OPTIONS, seed: seedOf(rng) };
    return [[graph, k, options], [renamed, k, { ...options }]];
  };
}

const KARATE_NAMES = ["Mr. Hi's faction", "the officer's faction"];

export default defineAssignment({
  id: 'node-embeddings',
  title: 'Node embeddings: random walks, co-occurrence and a factorization',
  module: 'graph.ts',
  problems: [
    problem({
      export: 'adjacencyList',
      title: 'Neighbours of every node',
      points: 4,
      reference: reference.adjacencyList,
      output: lists,
      cases: [
        { name: "Zachary's karate club (34 members, 78 friendships)", exact: true, args: () => [karate().graph] },
        { name: 'a random graph with two isolated nodes, edges in any order', exact: true, args: (rng) => [randomGraph(rng, 12, 3, 2)] },
        { name: 'random graphs', visibility: 'hidden', exact: true, calls: (rng) => [[randomGraph(rng, 30, 4, 1)], [randomGraph(rng, 8, 5)]] },
      ],
      check: ({ calls }) => allOf(calls.map(({ args: [graph], output, expected }) => checkAdjacency(graph, output, expected))),
      mistakes: [
        { id: 'adjacency-one-way', hint: 'record every edge at both of its ends: the graph is undirected, so v is a neighbour of u and u one of v', matches: sameAs(oneWay.adjacencyList) },
        { id: 'adjacency-unsorted', hint: 'sort each list of neighbours in increasing order', matches: sameAs(unsorted.adjacencyList) },
      ],
    }),
    problem({
      export: 'randomWalks',
      title: 'Random walks',
      points: 8,
      timeoutMs: 5_000,
      reference: reference.randomWalks,
      referenceUnused: true,
      output: lists,
      cases: [
        { name: 'the karate club, 3 walks of 10 nodes from each member: a seed twice, then another', calls: seedCalls(() => karate().graph, 3, 10) },
        { name: 'a graph with isolated nodes: a seed twice, then another', calls: seedCalls((rng) => randomGraph(rng, 12, 3, 2), 2, 6) },
        { name: `uniform steps: ${UNIFORM_WALKS_PER_NODE} walks of 20 from each karate member`, args: (rng) => [karate().graph, UNIFORM_WALKS_PER_NODE, 20, seedOf(rng)] },
        { name: 'a random graph', visibility: 'hidden', calls: seedCalls((rng) => randomGraph(rng, 30, 4, 1), 3, 12) },
        { name: 'uniform steps on Les Misérables', visibility: 'hidden', args: (rng) => [miserables().graph, UNIFORM_WALKS_PER_NODE, 20, seedOf(rng)] },
      ],
      check: checkWalks,
      mistakes: [
        {
          id: 'walk-stands-still',
          hint: 'every step moves to a neighbour: draw from the neighbours of the current node only, never the node itself',
          matches: standsStill,
        },
        {
          id: 'walk-length-counts-steps',
          hint: 'walkLength counts the nodes of a walk, its start included: a walk takes walkLength − 1 steps',
          matches: ({ calls }) => calls.every(({ args: [graph, , walkLength], output }) => output.length > 0 && output.every((walk) => walk.length === (neighbourSets(graph)[walk[0]]?.size ? walkLength + 1 : 1))),
        },
        {
          id: 'walk-skips-last-neighbour',
          hint: 'some neighbour is never chosen: the random index must range over 0 … degree − 1 (Math.floor(random() * degree))',
          matches: neverChosen,
        },
        {
          id: 'walk-ignores-seed',
          hint: 'the same seed must give the same walks: use a generator seeded with `seed` (seedrandom(String(seed))), not Math.random',
          matches: ({ calls: [first, second] }) => second !== undefined && first.args[3] === second.args[3] && !sameWalks(first.output, second.output),
        },
      ],
    }),
    problem({
      export: 'walkCooccurrence',
      title: 'Co-occurrence of nodes in walks',
      points: 6,
      reference: reference.walkCooccurrence,
      output: matrix,
      cases: [
        { name: 'three short walks by hand, window 2', exact: true, args: () => [[[0, 1, 2, 1], [3, 2, 3, 0], [2]], 4, 2] },
        { name: 'walks on the karate club, window 5', exact: true, args: cooccurrenceCase(() => karate().graph, 2, 12, 5) },
        { name: 'walks on random graphs, windows 1 and 3', visibility: 'hidden', exact: true, calls: (rng) => [cooccurrenceCase((r) => randomGraph(r, 15, 3, 1), 2, 10, 1)(rng), cooccurrenceCase((r) => randomGraph(r, 15, 3), 3, 9, 3)(rng)] },
      ],
      check: ({ calls }) => allOf(calls.map(({ output, expected }) => checkCounts(output, expected))),
      mistakes: [
        { id: 'cooccurrence-one-sided', hint: 'count the nodes before each position as well as after it: C must be symmetric', matches: sameAs(oneSided.walkCooccurrence) },
        { id: 'cooccurrence-window-exclusive', hint: 'the window includes its last position: nodes at distance 1, 2, …, window (inclusive) are counted', matches: sameAs(windowExclusive.walkCooccurrence) },
      ],
    }),
    problem({
      export: 'nodeEmbeddings',
      title: 'DeepWalk as a factorization',
      points: 12,
      timeoutMs: 10_000,
      reference: reference.nodeEmbeddings,
      output: matrix,
      cases: [
        ...EMBED_CASES.filter((c) => !c.hidden).map((c) => ({ name: c.name, calls: embedCalls(c) })),
        { name: RELABEL_CASE, calls: relabelCalls(4) },
        ...EMBED_CASES.filter((c) => c.hidden).map((c) => ({ name: c.name, visibility: 'hidden' as const, calls: embedCalls(c) })),
      ],
      check: (ctx) => {
        if (ctx.caseName === RELABEL_CASE) return checkRelabelled(ctx);
        const embedCase = EMBED_CASES.find((c) => c.name === ctx.caseName)!;
        // The case's generator draws the graph first: drawn again from the case's seed, with its labels.
        const { labels } = embedCase.graph(ctx.inputRng());
        const verdict = checkEmbedding(ctx, labels, embedCase.threshold, embedCase.what);
        if (!ctx.visible || embedCase.graph !== karate || verdict.score < 1) return verdict;
        return { ...verdict, figures: [embeddingFigure(ctx, labels, KARATE_NAMES, 'The karate club in your embedding', `The first two coordinates of each member's embedding, coloured by the faction the member joined. ${KARATE_CREDIT}`)] };
      },
      mistakes: [
        {
          id: 'embedding-no-sqrt',
          hint: 'scale column i of U_k by sqrt(σ_i): your columns have length 1, which is U_k alone, so the embeddings do not reproduce the PPMI matrix’s inner products',
          // Stryker disable next-line EqualityOperator: a squared length of exactly 1 ± 1e-6 to the last bit has probability zero
          matches: ({ output }) => squaredLengths(output).every((s) => Math.abs(s - 1) < 1e-6),
        },
        {
          id: 'embedding-sigma',
          hint: 'scale column i of U_k by sqrt(σ_i), not by σ_i: your columns’ squared lengths are the squares of the singular values',
          matches: ({ output, expected }) => {
            const sigma = squaredLengths(expected);
            return squaredLengths(output).every((s, i) => s <= 1.5 * sigma[i] ** 2 && 1.5 * s >= sigma[i] ** 2) && sigma.some((s) => s > 2);
          },
        },
        {
          id: 'embedding-counts',
          hint: 'factor the PPMI matrix max(0, log(C_uv·N / (row_u·col_v))), not the co-occurrence counts C themselves',
          matches: ({ output, expected }) => squaredLengths(output)[0] > 30 * squaredLengths(expected)[0],
        },
      ],
    }),
    // mlgrade new-problem adds problems above this line.
  ],
});

