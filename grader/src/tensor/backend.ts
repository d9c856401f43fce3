import * as tf from '@tensorflow/tfjs';
import { BACKENDS, BackendError, type BackendName, requestedBackend, TFJS_NODE, tfjsNodeUrl } from './choice.ts';
import { registerWasmKernelPatches } from './wasm-kernels.ts';

export { BACKENDS, BackendError, type BackendName, requestedBackend, tfjsNodeUrl };

/**
 * Chooses the tfjs backend: tfjs-node where it installed (native TensorFlow), else the wasm
 * backend with this project's kernel patches, else the pure-JS cpu backend as a last resort.
 * MLGRADE_BACKEND=node|wasm|cpu forces one; a forced backend that fails is an error, never a
 * silent fallback. The grader and the sandboxed child both start through here, so student
 * code runs on the same backend, with the same patches, as the grader.
 */

/** tfjs's own name for each backend. */
const TFJS_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export interface BackendReport {
  name: BackendName;
  /** Why this backend, in a sentence. */
  reason: string;
  /** The backends tried before it, and why each was not used. */
  unavailable: Array<{ name: BackendName; why: string }>;
  /** Kernels this project registered or replaced (wasm only). */
  patchedKernels: string[];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

let tfjsNodeModule = TFJS_NODE;

/**
 * Where to import tfjs-node from. The sandboxed child runs from a temporary folder, where a
 * bare package name would not resolve, so the grader passes it the installed file's URL.
 */
export function importTfjsNodeFrom(url: string): void {
  tfjsNodeModule = url;
}

/** Tries one backend; returns why it cannot be used, or undefined when it is now active. */
async function activate(name: BackendName): Promise<{ why?: string; patches: string[] }> {
  let patches: string[] = [];
  try {
    if (name === 'node') await import(tfjsNodeModule);
    if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      patches = registerWasmKernelPatches();
    }
  } catch (error) {
    const what = name === 'node' ? `${TFJS_NODE} is not installed or its native library did not load` : '@tensorflow/tfjs-backend-wasm did not load';
    return { why: `${what} (${firstLine(error)})`, patches };
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(TFJS_NAME[name]);
  } catch (error) {
    return { why: `tf.setBackend('${TFJS_NAME[name]}') threw: ${firstLine(error)}`, patches };
  }
  if (!ok || tf.getBackend() !== TFJS_NAME[name]) return { why: `tf.setBackend('${TFJS_NAME[name]}') returned false: the backend failed to initialize`, patches };
  return { patches };
}

let chosen: Promise<BackendReport> | undefined;
let chosenFor: BackendName | 'auto' | undefined;

/**
 * Activates a backend once per process (again only when asked for a different one). `auto`
 * tries node, wasm, cpu in turn; the default is MLGRADE_BACKEND, else `auto`.
 */
export function initTensorBackend(choice: BackendName | 'auto' = requestedBackend() ?? 'auto'): Promise<BackendReport> {
  const key = choice;
  const forced = choice === 'auto' ? undefined : choice;
  if (chosen && chosenFor === key) return chosen;
  chosenFor = key;
  chosen = (async () => {
    const unavailable: BackendReport['unavailable'] = [];
    for (const name of forced ? [forced] : BACKENDS) {
      const { why, patches } = await activate(name);
      if (!why) {
        const reason = forced
          ? `forced by MLGRADE_BACKEND=${forced}`
          : unavailable.length === 0
            ? `${name === 'node' ? TFJS_NODE : name} is installed and working`
            : `chosen because ${unavailable.map((u) => u.name).join(' and ')} ${unavailable.length > 1 ? 'are' : 'is'} not available`;
        return { name, reason, unavailable, patchedKernels: patches };
      }
      unavailable.push({ name, why });
    }
    chosen = undefined;
    throw new BackendError(`no tensor backend could be started: ${unavailable.map((u) => `${u.name}: ${u.why}`).join('; ')}`);
  })();
  return chosen;
}
