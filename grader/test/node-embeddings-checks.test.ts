/**
 * The check code of assignments/node-embeddings: the functions of checks.ts with their
 * boundaries pinned, every problem's check on contexts built like grading builds them, and
 * every mistake's detector on its own output and on others'. (`mlgrade check`, which `npm test`
 * runs, replays the whole pipeline for the reference on 50 student ids and for each declared
 * mistake on every case of its problem.)
 */
import { describe, expect, it } from 'vitest';
import assignment, { ACCURACY, accuracyVerdict, RELABEL_CORRELATION, STILL_SHARE, STILL_STEPS } from '../../assignments/node-embeddings/assignment.ts';
import {
  CHI_SQUARE_Z,
  checkAdjacency,
  checkCounts,
  checkFactorization,
  checkWalkShape,
  correlation,
  cosineMatrix,
  nearestNeighbourAccuracy,
  ORTHOGONALITY,
  sameWalks,
  SINGULAR_VALUE_RATIO,
  squaredLengths,
  transitionChiSquare,
} from '../../assignments/node-embeddings/checks.ts';
import { blockModel, randomGraph, relabelled, shuffled } from '../../assignments/node-embeddings/data.ts';
import * as reference from '../../solutions/node-embeddings/graph.ts';
import type { Graph } from '../../solutions/node-embeddings/graph.ts';
import { caseContext } from '../src/cases/calls.ts';
import { createRng } from '../src/cases/rng.ts';
import { karateClub, lesMiserables } from '../src/data/graphs.ts';
import { chartTexts, problemTools } from './helpers.ts';

type Matrix = number[][];

const { problemOf, contextOf, detector } = problemTools(assignment);

const karate = (): Graph => ({ n: 34, edges: karateClub().edges });
const path4: Graph = { n: 4, edges: [[0, 1], [2, 1], [2, 3]] };

describe('the graphs', () => {
  it("Zachary's karate club: 34 members, 78 friendships, member 0 with 16 friends, member 33 with 17, two factions of 17", () => {
    const club = karateClub();
    expect(club.n).toBe(34);
    expect(club.edges).toHaveLength(78);
    expect(new Set(club.edges.map(([u, v]) => `${u},${v}`)).size).toBe(78);
    expect(club.edges.every(([u, v]) => u < v && v < 34)).toBe(true);
    const degree = (node: number) => club.edges.filter((e) => e.includes(node)).length;
    expect([degree(0), degree(33)]).toEqual([16, 17]);
    expect(club.labels.filter((l) => l === 0)).toHaveLength(17);
    expect([club.labels[0], club.labels[33], club.names[0], club.names[33]]).toEqual([0, 1, 'Mr. Hi', 'Officer']);
  });

  it('Les Misérables: 77 characters, 254 co-appearances, no self-loops or repeats, Valjean in the largest group', () => {
    const novel = lesMiserables();
    expect([novel.n, novel.edges.length]).toEqual([77, 254]);
    expect(novel.edges.every(([u, v]) => u < v)).toBe(true);
    expect(new Set(novel.edges.map(([u, v]) => `${u},${v}`)).size).toBe(254);
    expect(novel.names[0]).toBe('Myriel');
    expect(novel.labels[novel.names.indexOf('Valjean')]).toBe(2);
    // Fresh copies: a caller may change what it gets.
    novel.edges[0][0] = 99;
    expect(lesMiserables().edges[0][0]).not.toBe(99);
  });

  it('blockModel, randomGraph and relabelled make what they say', () => {
    const rng = createRng('graphs');
    const { graph, labels } = blockModel(rng, [5, 7], 1, 0);
    expect(graph.n).toBe(12);
    expect(labels.filter((l) => l === 1)).toHaveLength(7);
    // p = 1 within, 0 across: the edges are exactly the pairs inside a block.
    expect(graph.edges).toHaveLength(10 + 21);
    expect(graph.edges.every(([u, v]) => labels[u] === labels[v])).toBe(true);
    const sparse = randomGraph(rng, 10, 3, 2);
    expect(sparse.edges.every(([u, v]) => u < 8 && v < 8 && u !== v)).toBe(true);
    const order = shuffled(rng, 6);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const renamed = relabelled(rng, path4, [3, 2, 1, 0]);
    expect(renamed.edges.map(([u, v]) => [Math.min(u, v), Math.max(u, v)]).sort()).toEqual([[0, 1], [1, 2], [2, 3]]);
  });
});

describe('adjacencyList', () => {
  it('names the first node whose list differs, and says when only the order is wrong', () => {
    const expected = reference.adjacencyList(path4);
    expect(checkAdjacency(path4, expected, expected)).toEqual({ score: 1, message: '4 nodes, 3 edges' });
    expect(checkAdjacency(path4, expected.slice(1), expected).message).toBe('expected a list for each of the 4 nodes, got 3');
    expect(checkAdjacency(path4, [[1], [2, 0], [1, 3], [2]], expected)).toMatchObject({ score: 0, message: 'node 1: expected neighbours [0, 2], got [2, 0] (the right nodes, but not in increasing order)' });
    expect(checkAdjacency(path4, [[1], [0], [1, 3], [2]], expected).message).toBe('node 1: expected neighbours [0, 2], got [0]');
    expect(checkAdjacency(path4, [[1], [0, 2], [1, 3], [2, 0]], expected).message).toBe('node 3: expected neighbours [2], got [2, 0]');
  });
});

describe('randomWalks: what every set of walks must be', () => {
  const walks = reference.randomWalks(path4, 2, 5, 7);

  it('the reference passes; a count, a start, a length or a step out of place fails with where', () => {
    expect(checkWalkShape(path4, 2, 5, walks).score).toBe(1);
    expect(checkWalkShape(path4, 3, 5, walks, 'call 1: ').message).toBe('call 1: expected 12 walks (3 from each of the 4 nodes), got 8');
    const edit = (w: number, walk: number[]) => walks.map((x, i) => (i === w ? walk : x));
    expect(checkWalkShape(path4, 2, 5, edit(0, [4, 1, 0, 1, 0])).message).toBe('walk 0 starts at 4, which is not a node');
    expect(checkWalkShape(path4, 2, 5, edit(0, [-1, 1, 0, 1, 0])).message).toBe('walk 0 starts at -1, which is not a node');
    expect(checkWalkShape(path4, 2, 5, edit(0, [0.5, 1])).message).toBe('walk 0 starts at 0.5, which is not a node');
    expect(checkWalkShape(path4, 2, 5, edit(1, [1, 0, 1, 0])).message).toBe('walk 1 (from node 1) has 4 nodes; expected 5 (the start counts as one)');
    expect(checkWalkShape(path4, 2, 5, edit(1, [1, 0, 1, 1, 0])).message).toBe('walk 1 steps from 1 to 1 at position 3, and there is no such edge (the walk stood still: every step must move to a neighbour)');
    expect(checkWalkShape(path4, 2, 5, edit(1, [1, 0, 1, 2, 0])).message).toBe('walk 1 steps from 2 to 0 at position 4, and there is no such edge');
    // Two walks from node 0, none from node 1 (4 walks still).
    expect(checkWalkShape(path4, 2, 5, edit(1, [0, 1, 0, 1, 0])).message).toMatch(/^node [01] starts [13] walks; every node must start exactly 2$/);
  });

  it('an isolated node walks [node], and nothing longer', () => {
    const lonely: Graph = { n: 3, edges: [[0, 1]] };
    const own = reference.randomWalks(lonely, 1, 4, 1);
    expect(own[2]).toEqual([2]);
    expect(checkWalkShape(lonely, 1, 4, own).score).toBe(1);
    expect(checkWalkShape(lonely, 1, 4, [own[0], own[1], [2, 2, 2, 2]]).message).toBe('walk 2 (from node 2) has 4 nodes; expected 1: the node has no neighbours, so its walk is just [node]');
  });

  it('sameWalks compares walk for walk and step for step', () => {
    expect(sameWalks([[0, 1]], [[0, 1]])).toBe(true);
    expect(sameWalks([[0, 1]], [[0, 1], [1]])).toBe(false);
    expect(sameWalks([[0, 1]], [[0, 1, 0]])).toBe(false);
    expect(sameWalks([[0, 1]], [[0, 2]])).toBe(false);
  });
});

describe('the chi-square test of uniform steps', () => {
  it('counts each node\'s departures against a uniform choice; nodes never left or with one neighbour add nothing', () => {
    // A star: centre 0 with leaves 1, 2, 3. From 0: 6 steps to 1, none to 2, 3 to 3 (expected 3 each).
    const star: Graph = { n: 4, edges: [[0, 1], [0, 2], [0, 3]] };
    const walks = [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 3, 0, 3, 0, 3, 0]];
    const { statistic, dof, z } = transitionChiSquare(star, walks);
    expect(statistic).toBeCloseTo((3 ** 2 + 3 ** 2 + 0) / 3, 12);
    expect(dof).toBe(2);
    const h = 2 / 18;
    expect(z).toBeCloseTo((Math.cbrt(statistic / 2) - (1 - h)) / Math.sqrt(h), 12);
    expect(transitionChiSquare(star, [[1, 0]])).toEqual({ statistic: 0, dof: 0, z: 0 });
  });

  it('the reference\'s walks pass at z ≤ 4.75; a walk that never takes a node\'s last neighbour fails', async () => {
    const uniform = await contextOf('randomWalks', 'uniform steps', 'chi-1');
    expect(await problemOf('randomWalks').check(uniform)).toMatchObject({ score: 1 });
    const { z } = transitionChiSquare(karate(), uniform.output as number[][]);
    expect(z).toBeLessThan(CHI_SQUARE_Z);
    const skips = (await loadMistake('walk-skips-last-neighbour')).randomWalks as (...args: unknown[]) => unknown;
    const biased = await contextOf('randomWalks', 'uniform steps', 'chi-1', skips);
    const verdict = await problemOf('randomWalks').check(biased);
    expect(verdict.score).toBe(0);
    expect(verdict.message).toMatch(/^the steps are not uniform over the neighbours: chi-square \d+\.\d on 122 degrees of freedom \(z = \d+\.\d\d; a uniform choice exceeds z = 4\.75 about once in a million\)$/);
    expect(detector('randomWalks', 'walk-skips-last-neighbour')(biased)).toBe(true);
    expect(detector('randomWalks', 'walk-skips-last-neighbour')(uniform)).toBe(false);
  });
});

async function loadMistake(id: string): Promise<Record<string, (...args: never[]) => unknown>> {
  return (await import(`../../assignments/node-embeddings/mistakes/${id}.ts`)) as Record<string, (...args: never[]) => unknown>;
}

describe('randomWalks: seeds and the detectors', () => {
  it('the same seed must repeat the walks and another must change them', async () => {
    const ctx = await contextOf('randomWalks', 'the karate club, 3 walks', 'seeds-1');
    expect(await problemOf('randomWalks').check(ctx)).toMatchObject({ score: 1 });
    const frozen = await contextOf('randomWalks', 'the karate club, 3 walks', 'seeds-1', (graph, perNode, length) => reference.randomWalks(graph as Graph, perNode as number, length as number, 1));
    expect((await problemOf('randomWalks').check(frozen)).message).toBe('another seed gave the same walks: the steps must come from the generator seeded with `seed`');
    const ignores = (await loadMistake('walk-ignores-seed')).randomWalks as (...args: unknown[]) => unknown;
    const random = await contextOf('randomWalks', 'the karate club, 3 walks', 'seeds-1', ignores);
    expect((await problemOf('randomWalks').check(random)).message).toBe('the same seed gave different walks: draw every step from a generator seeded with `seed` (e.g. seedrandom(String(seed)))');
    expect(detector('randomWalks', 'walk-ignores-seed')(random)).toBe(true);
    expect(detector('randomWalks', 'walk-ignores-seed')(ctx)).toBe(false);
    expect(detector('randomWalks', 'walk-ignores-seed')(frozen)).toBe(false);
  });

  it('standing still, one node too many: each detector fires on its own mistake only', async () => {
    const own = async (id: string) => contextOf('randomWalks', 'a graph with isolated nodes', 'detect-1', (await loadMistake(id)).randomWalks as (...args: unknown[]) => unknown);
    const still = await own('walk-stands-still');
    const long = await own('walk-length-counts-steps');
    const ref = await contextOf('randomWalks', 'a graph with isolated nodes', 'detect-1');
    expect(detector('randomWalks', 'walk-stands-still')(still)).toBe(true);
    expect(detector('randomWalks', 'walk-length-counts-steps')(long)).toBe(true);
    for (const ctx of [ref, long]) expect(detector('randomWalks', 'walk-stands-still')(ctx)).toBe(false);
    for (const ctx of [ref, still]) expect(detector('randomWalks', 'walk-length-counts-steps')(ctx)).toBe(false);
    expect((await problemOf('randomWalks').check(long)).message).toMatch(/^call 1: walk 0 \(from node \d+\) has 7 nodes; expected 6 \(the start counts as one\)/);
  });

  it('a neighbour never chosen counts only where each neighbour should have come up 30 times', () => {
    const star: Graph = { n: 3, edges: [[0, 1], [0, 2]] };
    // Node 0 left 60 times (30 per neighbour), always to 1: fires. 59 times: silent.
    const walk = (departures: number) => [Array.from({ length: 2 * departures + 1 }, (_, i) => (i % 2 === 0 ? 0 : 1))];
    const ctx = (walks: number[][]) => caseContext([{ args: [star, 1, 3, 1], output: walks, expected: undefined }], 'c', true, 's');
    const matches = detector('randomWalks', 'walk-skips-last-neighbour');
    expect(matches(ctx(walk(60)))).toBe(true);
    expect(matches(ctx(walk(59)))).toBe(false);
    // A walk through a node that does not exist is not this mistake.
    expect(matches(ctx([[...walk(60)[0], 7, 0]]))).toBe(false);
  });
});

describe('walkCooccurrence', () => {
  it('counts exactly, names the first wrong entry and says when C is not symmetric', () => {
    const C = reference.walkCooccurrence([[0, 1, 0]], 2, 2);
    expect(C).toEqual([[2, 2], [2, 0]]);
    expect(checkCounts(C, C)).toEqual({ score: 1, message: 'correct' });
    expect(checkCounts([[2, 2]], C).message).toBe('expected a 2×2 matrix, got 1×2');
    expect(checkCounts([[2], [2]], C).message).toBe('expected a 2×2 matrix, got 2×1');
    expect(checkCounts([[2, 1], [2, 0]], C)).toMatchObject({ score: 0, message: 'C[0][1] is 1; expected 2 (C[1][0] is 2: C must be symmetric)' });
    expect(checkCounts([[2, 2], [2, 1]], C).message).toBe('C[1][1] is 1; expected 0');
    expect(checkCounts([[3, 3], [3, 0]], C).message).toBe('C[0][0] is 3; expected 2');
  });

  it('the mistakes are told apart by their own outputs', async () => {
    for (const id of ['cooccurrence-one-sided', 'cooccurrence-window-exclusive']) {
      const ctx = await contextOf('walkCooccurrence', 'walks on the karate club', 'co-1', (await loadMistake(id)).walkCooccurrence as (...args: unknown[]) => unknown);
      expect((await problemOf('walkCooccurrence').check(ctx)).score).toBe(0);
      for (const other of ['cooccurrence-one-sided', 'cooccurrence-window-exclusive']) expect(detector('walkCooccurrence', other)(ctx)).toBe(other === id);
    }
  });
});

describe('embeddings: cosines, neighbours, correlation', () => {
  it('cosineMatrix, nearestNeighbourAccuracy (ties to the lower index) and correlation', () => {
    const E = [[1, 0], [2, 0], [0, 3], [0, 0]];
    const S = cosineMatrix(E);
    expect(S[0]).toEqual([1, 1, 0, 0]);
    expect(S[3]).toEqual([0, 0, 0, 0]);
    // Node 3 (zero) ties at 0 with everyone: its neighbour is node 0. Node 2's best is node 0 (tie at 0, lower index).
    expect(nearestNeighbourAccuracy(E, [0, 0, 1, 0])).toBe(0.75);
    expect(nearestNeighbourAccuracy(E, [0, 0, 0, 1])).toBe(0.75);
    expect(nearestNeighbourAccuracy([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], [0, 0, 1, 1])).toBe(1);
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(correlation([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(correlation([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(correlation([1, 2, 3], [5, 5, 5])).toBe(0);
  });
});

describe('checkFactorization: the structure of U_k·sqrt(Σ_k)', () => {
  const sigma = [9, 4];
  // Orthogonal columns with squared lengths exactly 9 and 4.
  const E = [[3, 0], [0, 2], [0, 0]];

  it('passes the structure and pins the ratio to the reference\'s σ on both sides', () => {
    expect(squaredLengths(E)).toEqual([9, 4]);
    expect(checkFactorization(E, 3, 2, sigma)).toEqual({ score: 1, message: 'correct' });
    // 9 = 1.5 × 6 and 9 × 1.5 = 13.5 exactly: the ratio's bounds are inclusive.
    expect(SINGULAR_VALUE_RATIO).toBe(1.5);
    expect(checkFactorization(E, 3, 2, [6, 4]).score).toBe(1);
    expect(checkFactorization(E, 3, 2, [13.5, 4]).score).toBe(1);
    expect(checkFactorization(E, 3, 2, [9, 6]).score).toBe(1);
    expect(checkFactorization(E, 3, 2, [5.9, 4])).toMatchObject({
      score: 0,
      message: "column 0 has squared length 9, but the PPMI matrix's singular value σ_1 is about 5.9 (from the reference's walks): the columns of U_k·sqrt(Σ_k) have squared lengths σ_1, …, σ_k",
    });
    expect(checkFactorization(E, 3, 2, [13.6, 4]).message).toMatch(/^column 0 has squared length 9, but the PPMI matrix's singular value σ_1 is about 13\.6 /);
    expect(checkFactorization(E, 3, 2, [9, 6.1]).message).toMatch(/^column 1 has squared length 4, but the PPMI matrix's singular value σ_2 is about 6\.1 /);
  });

  it('fails columns that are not orthogonal, not in order, or of the wrong shape', () => {
    const tilted = E.map(([x, y]) => [x, y + 1e-6 * x]);
    expect(checkFactorization(tilted, 3, 2, sigma).message).toBe('columns 0 and 1 of the embedding are not orthogonal (their inner product is 9.0000e-6, the largest squared column length 9): the columns of U_k·sqrt(Σ_k) are');
    // An inner product of exactly ORTHOGONALITY × 9 passes; twice that fails.
    const at = (product: number) => [[3, product / 3], [0, 2], [0, 0]];
    expect(checkFactorization(at(ORTHOGONALITY * 9), 3, 2, sigma).score).toBe(1);
    expect(checkFactorization(at(2 * ORTHOGONALITY * 9), 3, 2, sigma).score).toBe(0);
    // The largest inner product is the one named.
    const three = [[3, 1e-3, 0], [0, 2, 1e-5], [0, 0, 1]];
    expect(checkFactorization(three, 3, 3, [9, 4, 1]).message).toMatch(/^columns 0 and 1 of the embedding are not orthogonal \(their inner product is 0\.003,/);
    const swapped = E.map(([x, y]) => [y, x]);
    expect(checkFactorization(swapped, 3, 2, [4, 9]).message).toBe('column 1 is longer than column 0: order the columns by decreasing singular value');
    expect(checkFactorization([[2, 0], [0, 2], [0, 0]], 3, 2, [4, 4]).score).toBe(1);
    expect(checkFactorization(E.slice(1), 3, 2, sigma).message).toBe('expected 3 rows (one per node) of 2 numbers, got 2 rows of 2');
    expect(checkFactorization(E.map((row) => row.slice(1)), 3, 2, sigma).message).toBe('expected 3 rows (one per node) of 2 numbers, got 3 rows of 1');
    expect(checkFactorization([[1, 0], [0, 1], [0]], 3, 2, [1, 1]).message).toBe('expected 3 rows (one per node) of 2 numbers, got 3 rows of 2');
  });
});

describe('nodeEmbeddings: the checks on real graphs', () => {
  const nodeEmbeddings = problemOf('nodeEmbeddings');

  it('the reference gets full marks on every case, with the accuracy it reached and, for the karate club, a picture', async () => {
    for (const c of nodeEmbeddings.cases) {
      const ctx = await contextOf('nodeEmbeddings', c.name, 'embed-1', undefined, c.visibility === undefined);
      const verdict = await nodeEmbeddings.check(ctx);
      expect(verdict, c.name).toMatchObject({ score: 1 });
      if (c.name.startsWith('the karate club, k = 4')) {
        expect(verdict.message).toMatch(/^nearest-neighbour faction accuracy 0\.9\d\d \(at least 0\.85 needed\)$/);
        expect(verdict.figures?.map((f) => f.title)).toEqual(['The karate club in your embedding']);
      } else expect(verdict.figures).toBeUndefined();
    }
  });

  it('an embedding whose neighbours ignore the factions fails with the share, the threshold and the reference\'s', async () => {
    // The reference's embedding with its rows shuffled: the same structure, neighbours at random.
    const ctx = await contextOf('nodeEmbeddings', 'the karate club, k = 4', 'embed-1');
    const order = shuffled(createRng('rows'), 34);
    const rows = (ctx.output as Matrix).map((_, i) => (ctx.output as Matrix)[order[i]]);
    const shuffledCtx = caseContext(ctx.calls.map((c) => ({ ...c, output: rows })), ctx.caseName, true, 'embed-1-fix');
    // The labels come from the case's seed: rebuild the context with the seed the inputs came from.
    const same = caseContext(ctx.calls.map((c) => ({ ...c, output: rows })), ctx.caseName, true, 'embed-1');
    const verdict = await nodeEmbeddings.check(same);
    expect(verdict.score).toBeLessThan(1);
    expect(verdict.message).toMatch(/^for \d+ % of the nodes, the most similar other node \(by cosine\) is of another faction; at most 15 % may be \(the reference: \d % here\)$/);
    expect(shuffledCtx.caseName).toBe(ctx.caseName);
  });

  it('the accuracy thresholds hold at equality', () => {
    expect(ACCURACY).toEqual({ karate: 0.85, miserables: 0.7, blocks: 0.8 });
    expect(RELABEL_CORRELATION).toBe(0.9);
  });

  it('the same seed must give the same embedding', async () => {
    const ctx = await contextOf('nodeEmbeddings', 'the karate club, k = 4', 'embed-2');
    const [first, second] = ctx.calls;
    const flipped = (second.output as Matrix).map((row) => row.map((x, j) => (j === 3 ? -x : x)));
    const verdict = await nodeEmbeddings.check(caseContext([first, { ...second, output: flipped }], ctx.caseName, true, 'embed-2'));
    expect(verdict.message).toBe('the same arguments (the same seed) gave a different embedding: draw the walks from a generator seeded with options.seed');
  });

  it('renumbering: the reference passes; an embedding that follows node numbers fails with the correlation', async () => {
    const ctx = await contextOf('nodeEmbeddings', 'the karate club renumbered', 'embed-3');
    expect(await nodeEmbeddings.check(ctx)).toMatchObject({ score: 1 });
    // The second call answered for the original numbering: similar pairs no longer line up.
    const [first, second] = ctx.calls;
    const wrong = caseContext([first, { ...second, output: first.output }], ctx.caseName, true, 'embed-3');
    const verdict = await nodeEmbeddings.check(wrong);
    expect(verdict.message).toMatch(/^renumbering the nodes changed which nodes are similar: the cosine similarities of node pairs before and after correlate at -?0\.\d{3} \(at least 0\.9; random walks alone give 0\.98 or more\)\. Does your code treat a node differently because of its number\?$/);
    expect(await nodeEmbeddings.check(caseContext([{ ...first, output: (first.output as Matrix).slice(1) }, second], ctx.caseName, true, 'embed-3'))).toMatchObject({ score: 0 });
  });

  it('each embedding mistake is caught and its hint fires on it alone', async () => {
    const ids = ['embedding-no-sqrt', 'embedding-sigma', 'embedding-counts'];
    const reference = await contextOf('nodeEmbeddings', 'the karate club, k = 4', 'embed-4');
    for (const id of ids) expect(detector('nodeEmbeddings', id)(reference), id).toBe(false);
    for (const id of ids) {
      const ctx = await contextOf('nodeEmbeddings', 'the karate club, k = 4', 'embed-4', (await loadMistake(id)).nodeEmbeddings as (...args: unknown[]) => unknown);
      expect((await nodeEmbeddings.check(ctx)).score, id).toBe(0);
      for (const other of ids) expect(detector('nodeEmbeddings', other)(ctx), `${other} on ${id}`).toBe(other === id);
    }
  });

  it('embedding-sigma needs squared lengths within 1.5× of σ² and some σ above 2; embedding-counts 30× σ_1', () => {
    const E = [[3, 0], [0, 2]];
    const ctx = (output: Matrix, expected: Matrix) => caseContext([{ args: [], output, expected }], 'c', true, 's');
    const sigma = detector('nodeEmbeddings', 'embedding-sigma');
    // expected has σ = [9, 4]: σ² = [81, 16].
    const squares = (a: number, b: number) => [[Math.sqrt(a), 0], [0, Math.sqrt(b)]];
    expect(sigma(ctx(squares(81, 16), E))).toBe(true);
    expect(sigma(ctx(squares(81 * 1.5, 16 / 1.5), E))).toBe(true);
    expect(sigma(ctx(squares(81 * 1.51, 16), E))).toBe(false);
    expect(sigma(ctx(squares(81, 16 / 1.51), E))).toBe(false);
    expect(sigma(ctx([[1.5, 0], [0, 1]], [[Math.sqrt(1.5), 0], [0, 1]]))).toBe(false);
    const counts = detector('nodeEmbeddings', 'embedding-counts');
    expect(counts(ctx(squares(30 * 9 + 1, 1), E))).toBe(true);
    expect(counts(ctx(squares(30 * 9, 1), E))).toBe(false);
    const noSqrt = detector('nodeEmbeddings', 'embedding-no-sqrt');
    expect(noSqrt(ctx([[1, 0], [0, 1]], E))).toBe(true);
    expect(noSqrt(ctx([[1 + 1e-6, 0], [0, 1]], E))).toBe(false);
  });
});

describe('what the first run of mutation testing asked for', () => {
  const ctxOf = (calls: Array<{ args: unknown[]; output: unknown; expected?: unknown }>, seed = 's') => caseContext(calls.map((c) => ({ expected: undefined, ...c })), 'c', true, seed);

  it('adjacencyList: the problem\'s check compares every call; a list of the right length with one wrong node fails; the order note only when the sorted list is right', async () => {
    const check = problemOf('adjacencyList').check;
    const right = reference.adjacencyList(path4);
    expect(await check(ctxOf([{ args: [path4], output: right, expected: right }, { args: [path4], output: right, expected: right }]))).toMatchObject({ score: 1 });
    const wrong = await check(ctxOf([{ args: [path4], output: right, expected: right }, { args: [path4], output: [[1], [0, 2], [1, 0], [2]], expected: right }]));
    expect(wrong).toMatchObject({ score: 0, message: 'node 2: expected neighbours [1, 3], got [1, 0]', details: { node: 2 } });
    expect(checkAdjacency(path4, [[1], [3, 0], [1, 3], [2]], right).message).toBe('node 1: expected neighbours [0, 2], got [3, 0]');
  });

  it('randomWalks: no chi-square test for few walks or for walks already wrong; the details of the test', async () => {
    const check = problemOf('randomWalks').check;
    const g = karate();
    const neighbours = reference.adjacencyList(g);
    // Always the first neighbour: every step an edge, far from uniform, but only 3 walks a node.
    const firstNeighbour = (perNode: number, length: number) =>
      Array.from({ length: perNode * g.n }, (_, w) => {
        const walk = [w % g.n];
        while (walk.length < length) walk.push(neighbours[walk[walk.length - 1]][0]);
        return walk;
      });
    expect(await check(ctxOf([{ args: [g, 3, 10, 1], output: firstNeighbour(3, 10) }]))).toMatchObject({ score: 1 });
    const many = await check(ctxOf([{ args: [g, 100, 20, 1], output: firstNeighbour(100, 20) }]));
    expect(many).toMatchObject({ score: 0, details: { dof: 122 } });
    expect(many.details).toHaveProperty('statistic');
    expect(many.details).toHaveProperty('z');
    // A wrong step: only the shape's message, no chi-square after it.
    const walks = firstNeighbour(100, 20);
    walks[5] = [...walks[5].slice(0, 19), 5];
    expect((await check(ctxOf([{ args: [g, 100, 20, 1], output: walks }]))).message).toMatch(/^walk 5 steps from \d+ to 5 at position 19, and there is no such edge$/);
  });

  it('randomWalks: seeds are compared only where the case asks (a second call with the same seed, a third with another)', async () => {
    const check = problemOf('randomWalks').check;
    const a = reference.randomWalks(path4, 2, 5, 1);
    const b = reference.randomWalks(path4, 2, 5, 2);
    // Two calls with different seeds and different walks: nothing to compare.
    expect(await check(ctxOf([{ args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 2], output: b }]))).toMatchObject({ score: 1 });
    // A third call with the first seed again may repeat the first walks.
    expect(await check(ctxOf([{ args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 1], output: a }]))).toMatchObject({ score: 1 });
    const ignores = detector('randomWalks', 'walk-ignores-seed');
    expect(ignores(ctxOf([{ args: [path4, 2, 5, 1], output: a }]))).toBe(false);
    expect(ignores(ctxOf([{ args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 2], output: b }]))).toBe(false);
    expect(ignores(ctxOf([{ args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 1], output: b }]))).toBe(true);
  });

  it('the walk detectors look at every call, and need what their mistake leaves', () => {
    const a = reference.randomWalks(path4, 2, 5, 1);
    const stands = detector('randomWalks', 'walk-stands-still');
    // 8 walks of 5 nodes: 32 steps. Standing still in `n` of them:
    const still = (n: number) => a.map((walk, w) => walk.map((v, i) => (i > 0 && (w * 4 + i - 1) < n ? walk[0] : v)).map((v, i, all) => (i > 0 && (w * 4 + i - 1) < n ? all[i - 1] : v)));
    const count = (walks: number[][]) => walks.reduce((sum, walk) => sum + walk.slice(1).filter((v, i) => v === walk[i]).length, 0);
    expect(count(still(10))).toBe(10);
    expect([STILL_STEPS, STILL_SHARE]).toEqual([10, 0.02]);
    expect(stands(ctxOf([{ args: [path4, 2, 5, 1], output: a }, { args: [path4, 2, 5, 1], output: still(10) }]))).toBe(true);
    expect(stands(ctxOf([{ args: [path4, 2, 5, 1], output: still(9) }]))).toBe(false);
    expect(stands(ctxOf([{ args: [path4, 2, 5, 1], output: a }]))).toBe(false);
    // 10 still steps among 500 (2 %) fire; among 501, not.
    const longWalks = (total: number) => [Array.from({ length: total + 1 }, (_, i) => (i <= 10 ? 0 : i % 2))];
    expect(count(longWalks(500))).toBe(10);
    expect(stands(ctxOf([{ args: [path4, 1, 501, 1], output: longWalks(500) }]))).toBe(true);
    expect(stands(ctxOf([{ args: [path4, 1, 502, 1], output: longWalks(501) }]))).toBe(false);
    expect(stands(ctxOf([{ args: [path4, 1, 1, 1], output: [[0], [1]] }]))).toBe(false);
    const long = detector('randomWalks', 'walk-length-counts-steps');
    const longer = reference.randomWalks(path4, 2, 6, 1);
    expect(long(ctxOf([{ args: [path4, 2, 5, 1], output: longer }]))).toBe(true);
    expect(long(ctxOf([{ args: [path4, 2, 5, 1], output: longer }, { args: [path4, 2, 5, 1], output: a }]))).toBe(false);
    expect(long(ctxOf([{ args: [path4, 2, 5, 1], output: [] }]))).toBe(false);
    expect(long(ctxOf([{ args: [path4, 2, 5, 1], output: [[9, 1, 0, 1, 0, 1]] }]))).toBe(false);
    const skips = detector('randomWalks', 'walk-skips-last-neighbour');
    const star: Graph = { n: 3, edges: [[0, 1], [0, 2]] };
    const alternating = (departures: number, to: number) => [Array.from({ length: 2 * departures + 1 }, (_, i) => (i % 2 === 0 ? 0 : to))];
    // One call that never takes neighbour 2, one that is fine: fires.
    const fine = [Array.from({ length: 241 }, (_, i) => (i % 2 === 0 ? 0 : i % 4 === 1 ? 1 : 2))];
    expect(skips(ctxOf([{ args: [star, 1, 3, 1], output: fine }, { args: [star, 1, 3, 1], output: alternating(60, 1) }]))).toBe(true);
    expect(skips(ctxOf([{ args: [star, 1, 3, 1], output: fine }]))).toBe(false);
    // Walks through nodes that do not exist are not this mistake.
    expect(skips(ctxOf([{ args: [star, 1, 3, 1], output: [[...alternating(60, 1)[0], 3, 0]] }]))).toBe(false);
    expect(skips(ctxOf([{ args: [star, 1, 3, 1], output: [[...alternating(60, 1)[0], -1, 0]] }]))).toBe(false);
    // A node with one neighbour (node 1) left 60 times to a node that is not its neighbour: not this mistake.
    const pathOf3: Graph = { n: 3, edges: [[0, 1], [1, 2]] };
    expect(skips(ctxOf([{ args: [pathOf3, 1, 3, 1], output: [Array.from({ length: 121 }, (_, i) => (i % 2 === 0 ? 2 : 0))] }]))).toBe(false);
  });

  it('sameWalks needs every walk equal; checkWalkShape names the walk and the position', () => {
    expect(sameWalks([[0, 1], [1, 0]], [[0, 1], [1, 2]])).toBe(false);
    const walks = reference.randomWalks(path4, 1, 3, 1);
    walks[2] = [2, 2, 1];
    expect(checkWalkShape(path4, 1, 3, walks).details).toEqual({ walk: 2, position: 1 });
  });

  it('checkCounts: an empty answer, the symmetry note only when the transposed entry is the expected one, the place in the details', () => {
    const C = [[2, 2], [2, 0]];
    expect(checkCounts([], C).message).toBe('expected a 2×2 matrix, got 0×0');
    expect(checkCounts([[2, 3], [3, 0]], C)).toMatchObject({ message: 'C[0][1] is 3; expected 2', details: { u: 0, v: 1 } });
  });

  it('nearestNeighbourAccuracy: a node is never its own neighbour', () => {
    expect(nearestNeighbourAccuracy([[1, 0], [1, 0], [0, 1], [0, 1]], [0, 1, 1, 0])).toBe(0);
  });

  it('checkFactorization: an empty embedding, the orthogonality bound at equality, the first of equal inner products, the details of a wrong length', () => {
    expect(checkFactorization([], 3, 2, [1, 1]).message).toBe('expected 3 rows (one per node) of 2 numbers, got 0 rows of 0');
    expect(squaredLengths([])).toEqual([]);
    expect(checkFactorization([[1, 1e-8], [0, 0.5]], 2, 2, [1, 0.25]).score).toBe(1);
    expect(checkFactorization([[1, 2e-8], [0, 0.5]], 2, 2, [1, 0.25]).score).toBe(0);
    // Columns 0·1 and 0·2 both 1e-3: the first pair is named.
    const E = [[1, 1e-3, 1e-3], [0, 0.5, 0], [0, 0, 0.25]];
    expect(checkFactorization(E, 3, 3, [1, 0.25, 0.0625]).message).toMatch(/^columns 0 and 1 of the embedding are not orthogonal/);
    expect(checkFactorization([[3, 0], [0, 2]], 2, 2, [5.9, 4]).details).toEqual({ squared: [9, 4], referenceSingularValues: [5.9, 4] });
  });

  it('nodeEmbeddings: a wrong structure is reported alone; one call alone needs no second; one row changed is a different embedding', async () => {
    const check = problemOf('nodeEmbeddings').check;
    const ctx = await contextOf('nodeEmbeddings', 'the karate club, k = 4', 'embed-5');
    const [first, second] = ctx.calls;
    const unit = (first.output as Matrix).map((row) => row.map((x, j) => x / Math.sqrt(squaredLengths(first.output as Matrix)[j])));
    const structure = await check(caseContext([{ ...first, output: unit }, second], ctx.caseName, true, 'embed-5'));
    expect(structure.message).toBe(checkFactorization(unit, 34, 4, squaredLengths(first.expected as Matrix)).message);
    expect(structure.figures).toBeUndefined();
    expect(await check(caseContext([first], ctx.caseName, true, 'embed-5'))).toMatchObject({ score: 1 });
    const oneRow = (second.output as Matrix).map((row, i) => (i === 7 ? row.map((x) => -x) : row));
    expect((await check(caseContext([first, { ...second, output: oneRow }], ctx.caseName, true, 'embed-5'))).message).toBe('the same arguments (the same seed) gave a different embedding: draw the walks from a generator seeded with options.seed');
    const passed = await check(ctx);
    expect(passed.metrics).toEqual({ accuracy: expect.any(Number) as number });
    const [figure] = passed.figures!;
    expect(figure.caption).toMatch(/^The first two coordinates of each member's embedding, coloured by the faction the member joined\. Zachary's karate club/);
    const svg = figure.data;
    expect(chartTexts(svg, 'axis-title')).toEqual(['coordinate 1', 'coordinate 2']);
    expect(chartTexts(svg, 'legend-label')).toEqual(["Mr. Hi's faction", "the officer's faction"]);
    expect(svg.match(/role-mark|aria-roledescription="point"/g)?.length).toBeGreaterThanOrEqual(34);
  });

  it('accuracyVerdict: the threshold holds at equality; the shares in the message; the accuracy in the details', () => {
    expect(accuracyVerdict(0.8, 0.95, 0.8, 'block')).toMatchObject({ score: 1 });
    expect(accuracyVerdict(0.75, 0.95, 0.8, 'block')).toEqual({
      score: 0,
      message: 'for 25 % of the nodes, the most similar other node (by cosine) is of another block; at most 20 % may be (the reference: 5 % here)',
      details: { accuracy: 0.75 },
    });
  });

  it('renumbering: a wrong structure in either call is reported as the structure; the correlation in the details', async () => {
    const check = problemOf('nodeEmbeddings').check;
    const ctx = await contextOf('nodeEmbeddings', 'the karate club renumbered', 'embed-6');
    const [first, second] = ctx.calls;
    const short = (second.output as Matrix).slice(1);
    expect((await check(caseContext([first, { ...second, output: short }], ctx.caseName, true, 'embed-6'))).message).toBe('expected 34 rows (one per node) of 4 numbers, got 33 rows of 4');
    const wrong = await check(caseContext([first, { ...second, output: first.output }], ctx.caseName, true, 'embed-6'));
    expect(wrong.details).toEqual({ correlation: expect.any(Number) as number });
  });

  it('embedding-sigma: squared lengths within 1.5× of σ² on both sides, inclusive, and some σ above 2', () => {
    const sigma = detector('nodeEmbeddings', 'embedding-sigma');
    const ctx = (output: Matrix, expected: Matrix) => caseContext([{ args: [], output, expected }], 'c', true, 's');
    // expected: columns of squared length 4 and 6 (σ² = 16 and 36); output 24 = 1.5 × 16 and 24 = 36 / 1.5, exactly.
    const expected = [[2, 2], [0, 1], [0, 1]];
    expect(squaredLengths(expected)).toEqual([4, 6]);
    const output = [[4, 4], [2, 2], [2, 2]];
    expect(squaredLengths(output)).toEqual([24, 24]);
    expect(sigma(ctx(output, expected))).toBe(true);
    // σ = [2, 2]: none above 2.
    expect(sigma(ctx([[2, 0], [0, 2]], [[1, 1], [1, -1]]))).toBe(false);
    // σ = [9, 1]: one above 2 is enough.
    expect(sigma(ctx([[9, 0], [0, 1]], [[3, 0], [0, 1]]))).toBe(true);
  });
});
