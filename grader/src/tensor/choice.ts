/**
 * Which tfjs backend to use, decided without loading tfjs (importing it costs ~0.3 s), so
 * the grader can tell a sandboxed child which backend to start for an assignment that
 * itself uses no tensors. Loading and activating a backend is in backend.ts.
 */

export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export class BackendError extends Error {
  override name = 'BackendError';
}

/** MLGRADE_BACKEND, validated; undefined when unset. */
export function requestedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const value = env.MLGRADE_BACKEND?.trim();
  if (!value) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new BackendError(`MLGRADE_BACKEND must be one of ${BACKENDS.join(', ')}, not "${value}"`);
  }
  return value as BackendName;
}

// Held in a variable so TypeScript does not need the optional package's types to compile.
export const TFJS_NODE = '@tensorflow/tfjs-node';

/** The installed tfjs-node's URL, or undefined where it is not installed. */
export function tfjsNodeUrl(): string | undefined {
  try {
    return import.meta.resolve(TFJS_NODE);
  } catch {
    return undefined;
  }
}
