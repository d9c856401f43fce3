// Mistake: the running average gives the momentum weight to the new batch value instead of the old running value.
export function updateRunningAverage(running: number[], batch: number[], momentum: number): number[] {
  return running.map((r, c) => momentum * batch[c] + (1 - momentum) * r);
}
