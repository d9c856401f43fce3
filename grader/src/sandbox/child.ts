/**
 * The sandboxed child's side. It runs under Node's permission model (no writes outside its
 * scratch folder, no child processes, no workers, reads only its own bundle and the allowed
 * packages), with an empty environment. The grader bundles this file with esbuild; it must
 * not import anything of the grader's that a student could use to reach trusted data.
 *
 * Everything that crosses back goes through `process.send` (structured clone). Nothing the
 * child prints is parsed by the grader.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { type ArgumentChange, argumentChange, copyPlain, MAX_COMPARED_ENTRIES } from './changes.ts';
import type { ChildMessage, ParentMessage } from './protocol.ts';

type TensorRuntime = typeof import('../tensor/child-runtime.ts');

// Keep our own references before student code can replace them.
const send = process.send?.bind(process);
const onMessage = (listener: (message: unknown) => void): void => {
  process.on('message', listener);
};
const stringify = JSON.stringify;
const writeStdout = process.stdout.write.bind(process.stdout);
const writeStderr = process.stderr.write.bind(process.stderr);
// Called with .call(thrown) below, so that a student's own toString on an Error is not used.
// eslint-disable-next-line @typescript-eslint/unbound-method
const errorToString = Error.prototype.toString;

if (!send) throw new Error('the sandbox runner must be started with an IPC channel');

// Node's permission model has no say over signals or the network, so the runner takes those
// away itself before any student code loads. (Where the machine allows it, the grader also
// starts the child in an empty network namespace; this is the layer that always holds.)
function denied(what: string): () => never {
  return () => {
    throw new Error(`${what} is not available to code being graded`);
  };
}
const processWithInternals = process as unknown as { _kill?: unknown };
process.kill = denied('process.kill');
processWithInternals._kill = denied('process.kill');
net.connect = denied('network access');
net.createConnection = denied('network access');
net.createServer = denied('network access');
net.Socket.prototype.connect = denied('network access');
net.Server.prototype.listen = denied('network access');
dgram.createSocket = denied('network access');
dns.lookup = denied('network access') as unknown as typeof dns.lookup;
dns.resolve = denied('network access') as unknown as typeof dns.resolve;
dns.promises.lookup = denied('network access');
dns.promises.resolve = denied('network access');

/** A returned value with more entries than this (array slots, fields, typed-array elements) is refused before it is sent. */
const MAX_RETURNED_VALUES = 50_000_000;
const isArray = Array.isArray;
const isView: (value: unknown) => value is ArrayBufferView = ArrayBuffer.isView.bind(ArrayBuffer);
const objectValues = Object.values;

/** Counts the entries of a value (every array slot, field and typed-array element), stopping past the limit. */
function countEntries(value: unknown, limit: number): number {
  let count = 1;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    if (isView(item)) {
      count += (item as unknown as { length?: number }).length ?? item.byteLength;
      continue;
    }
    const children = isArray(item) ? item : objectValues(item);
    count += children.length;
    if (count > limit) break;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push(child);
  }
  return count;
}

function reply(message: ChildMessage): void {
  try {
    send!(message);
  } catch (error) {
    if (message.type !== 'result') throw error;
    send!({
      type: 'error',
      id: message.id,
      message: `returned a value that cannot be copied out of the sandbox (${safeMessage(error)}); return plain data: numbers, arrays, typed arrays, strings and plain objects — not functions, proxies or class instances with private state`,
      refused: true,
    });
  }
}

/** Describes anything that was thrown, without trusting it to behave. */
function safeMessage(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      const text = errorToString.call(thrown);
      return typeof text === 'string' ? text : 'an Error';
    }
    if (typeof thrown === 'string') return `a thrown string: ${thrown}`;
    if (typeof thrown === 'number' || typeof thrown === 'boolean' || thrown === null || thrown === undefined) {
      return `a thrown ${thrown === null ? 'null' : typeof thrown}: ${String(thrown)}`;
    }
    const json = stringify(thrown);
    return `a thrown value: ${typeof json === 'string' ? json.slice(0, 500) : typeof thrown}`;
  } catch {
    return 'a thrown value that cannot be described';
  }
}

// Unhandled rejections would end the process; report them on stderr instead, so a stray
// promise fails nothing but the student's own output.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled promise rejection: ${safeMessage(reason)}\n`);
});

let submission: Record<string, unknown> | undefined;
let tensors: TensorRuntime | undefined;

async function load(message: Extract<ParentMessage, { type: 'load' }>): Promise<Record<string, unknown>> {
  if (message.tensors) {
    // Before the submission loads, so its `import * as tf` finds the backend already set up.
    tensors = (await import(message.tensors.runtimeUrl)) as TensorRuntime;
    await tensors.start(message.tensors.backend, message.tensors.tfjsNodeUrl);
  }
  return (await import(message.url)) as Record<string, unknown>;
}

/** A copy of plain-data arguments to compare with after the call; none for huge ones. */
function snapshot(args: unknown[]): unknown[] | undefined {
  try {
    return countEntries(args, MAX_COMPARED_ENTRIES) <= MAX_COMPARED_ENTRIES ? copyPlain(args) : undefined;
  } catch {
    return undefined;
  }
}

/** Where the call changed its arguments, if it did; nothing if that cannot be told (it only feeds a note). */
function changeOf(before: unknown[] | undefined, after: unknown[]): ArgumentChange | undefined {
  try {
    return before ? argumentChange(before, after) : undefined;
  } catch {
    return undefined;
  }
}

async function call(name: string, rawArgs: unknown[]): Promise<{ value: unknown; leakedTensors?: number; changedArgument?: ArgumentChange }> {
  const fn = submission?.[name];
  if (typeof fn !== 'function') throw new Error(`${name} is not a function`);
  if (!tensors) {
    const before = snapshot(rawArgs);
    const value = await (fn as (...a: unknown[]) => unknown)(...rawArgs);
    return { value, changedArgument: changeOf(before, rawArgs) };
  }
  const before = tensors.numTensors();
  const { args, created } = await tensors.decodeArguments(rawArgs);
  const plain = snapshot(tensors.plainView(args) as unknown[]);
  let value: unknown;
  try {
    value = await (fn as (...a: unknown[]) => unknown)(...(args as unknown[]));
  } catch (error) {
    tensors.disposeCreated(created);
    throw error;
  }
  const changedArgument = changeOf(plain, tensors.plainView(args) as unknown[]);
  const encoded = await tensors.finishCall(value, created);
  return { value: encoded, leakedTensors: tensors.leakedSince(before), changedArgument };
}

onMessage((raw: unknown) => {
  const message = raw as ParentMessage;
  if (message.type === 'load') {
    load(message).then(
      (module) => {
        submission = module;
        const exports: Record<string, string> = {};
        for (const name of Object.keys(module)) exports[name] = typeof module[name];
        reply({ type: 'loaded', exports });
      },
      (error: unknown) => reply({ type: 'load-error', message: safeMessage(error) }),
    );
    return;
  }
  if (message.type === 'call') {
    const { id, name, args, marker } = message;
    // After the call, mark the end of its output on both streams, so the grader knows it has
    // all of it before it attributes the output to this call.
    const finish = (result: ChildMessage): void => {
      writeStdout(marker);
      writeStderr(marker);
      if (result.type === 'result' && countEntries(result.value, MAX_RETURNED_VALUES) > MAX_RETURNED_VALUES) {
        reply({ type: 'error', id, message: `returned a value with more than ${MAX_RETURNED_VALUES.toLocaleString('en-US')} entries, far more than any answer needs`, refused: true });
        return;
      }
      reply(result);
    };
    Promise.resolve()
      .then(() => call(name, args))
      .then(
        ({ value, leakedTensors, changedArgument }) => finish({ type: 'result', id, value, leakedTensors, changedArgument }),
        (error: unknown) => finish({ type: 'error', id, message: safeMessage(error) }),
      );
  }
});

reply({ type: 'ready' });
