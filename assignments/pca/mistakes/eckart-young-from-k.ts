// Mistake: the sum starts at σ_k (1-based) instead of σ_{k+1}, as in some printed notes.
export function eckartYoungError(S: number[], k: number): number {
  let error = 0;
  for (let i = Math.max(k - 1, 0); i < S.length; i++) error += S[i] * S[i];
  return error;
}
