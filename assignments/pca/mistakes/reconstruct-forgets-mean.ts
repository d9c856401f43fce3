// Mistake: undoes the scaling but does not add the mean back.
export function reconstruct(loadings: number[][], components: number[][], mean: number[], scale: number[]): number[][] {
  return loadings.map((z) => mean.map((_, j) => z.reduce((sum, zt, t) => sum + zt * components[t][j], 0) * scale[j]));
}
