import type { LatePolicy } from '../src/assignment/define.ts';

/** The fixture assignment `diag`'s late policy: due 10 December, an hour's grace, 10 % per started day, at most 30 %. */
export const POLICY: LatePolicy = { due: '2026-12-10T23:59:00-05:00', graceMinutes: 60, penaltyPerDay: 0.1, maxPenalty: 0.3 };

/** The edges of POLICY: each submission time with the days late and the share deducted. */
export const EDGES: ReadonlyArray<{ name: string; at: string; daysLate: number; penalty: number }> = [
  { name: 'early', at: '2026-12-09T08:00:00-05:00', daysLate: 0, penalty: 0 },
  { name: 'at the due time', at: '2026-12-10T23:59:00-05:00', daysLate: 0, penalty: 0 },
  { name: 'in the grace period', at: '2026-12-11T00:30:00-05:00', daysLate: 0, penalty: 0 },
  { name: 'at the end of the grace period (another time zone)', at: '2026-12-11T05:59:00Z', daysLate: 0, penalty: 0 },
  { name: 'a second after the grace period', at: '2026-12-11T05:59:01Z', daysLate: 1, penalty: 0.1 },
  { name: 'a day after the due time', at: '2026-12-11T23:59:00-05:00', daysLate: 1, penalty: 0.1 },
  { name: 'a second into the second day', at: '2026-12-11T23:59:01-05:00', daysLate: 2, penalty: 0.2 },
  { name: 'three days late: at the cap', at: '2026-12-13T12:00:00-05:00', daysLate: 3, penalty: 0.3 },
  { name: 'beyond the cap', at: '2026-12-24T09:00:00.123456-05:00', daysLate: 14, penalty: 0.3 },
];

/** The grade after POLICY of `points` submitted at an edge, rounded as scores are. */
export const after = (points: number, edge: { penalty: number }): number => Math.round(points * (1 - edge.penalty) * 100) / 100;
