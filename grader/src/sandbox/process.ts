import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildMessage, ParentMessage } from './protocol.ts';
import { CallCapture } from './output.ts';

export interface SandboxLimits {
  /** Memory cap in MB: V8's old space and the resident set of the whole process. */
  memoryMb: number;
  /** Bytes of stdout and of stderr kept per call. */
  outputBytes: number;
}

export interface SandboxPaths {
  runner: string;
  /** The child's cwd, and the only folder it may write to. */
  workDir: string;
  /** Folders the child may read (its bundle, its copy, the allowed packages). */
  readable: string[];
  /** Native addons, needed by tfjs-node only. */
  allowAddons?: boolean;
}

export type CallOutcome =
  | { kind: 'ok'; value: unknown; leakedTensors?: number }
  | { kind: 'error'; message: string; refused?: boolean }
  | { kind: 'timeout'; message: string }
  | { kind: 'memory'; message: string }
  | { kind: 'crash'; message: string };

export interface CallResult {
  outcome: CallOutcome;
  durationMs: number;
  stdout: string;
  stderr: string;
}

const MEMORY_POLL_MS = 25;
const START_TIMEOUT_MS = 15_000;
/** How long to wait for the rest of a call's output after its result has arrived. */
const OUTPUT_SETTLE_MS = 500;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Resident memory of a process in MB, from /proc (Linux); undefined elsewhere. */
function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

let isolation: string[] | undefined;

/**
 * `unshare -rn` runs the child in new user and network namespaces with no network interfaces
 * but loopback (down). Linux only, and only where unprivileged user namespaces are allowed;
 * probed once. Elsewhere the runner's own blocking of the network modules is the only layer.
 */
export function networkIsolation(): string[] {
  if (isolation === undefined) {
    // An absolute path: the child's environment is empty, so there is no PATH to search.
    const unshare = (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter).map((dir) => path.join(dir, 'unshare')).find((file) => existsSync(file));
    const probe = process.platform === 'linux' && unshare ? spawnSync(unshare, ['-rn', process.execPath, '-e', '0'], { stdio: 'ignore', timeout: 10_000 }) : undefined;
    isolation = unshare && probe?.status === 0 ? [unshare, '-rn'] : [];
  }
  return isolation;
}

interface Pending {
  expect: ChildMessage['type'][];
  id?: string;
  resolve: (outcome: CallOutcome) => void;
  timer?: NodeJS.Timeout;
}

/**
 * One sandboxed child process. It serves one request at a time; a timeout or memory
 * overrun kills it (SIGKILL) and it is then dead for good — the session starts another.
 */
export class SandboxProcess {
  private child: ChildProcess;
  private pending: Pending | undefined;
  private readonly stdout: CallCapture;
  private readonly stderr: CallCapture;
  private killReason: 'timeout' | 'memory' | undefined;
  private timeoutMs = 0;
  private memoryTimer: NodeJS.Timeout | undefined;
  private exited = false;
  private exitInfo = '';

  constructor(
    private readonly paths: SandboxPaths,
    private readonly limits: SandboxLimits,
  ) {
    this.stdout = new CallCapture(limits.outputBytes);
    this.stderr = new CallCapture(limits.outputBytes);
    const args = [
      '--experimental-permission',
      // Node 20.20 takes one path per flag; a comma-separated list is no longer accepted.
      ...paths.readable.map((dir) => `--allow-fs-read=${dir}`),
      `--allow-fs-write=${paths.workDir}`,
      ...(paths.allowAddons ? ['--allow-addons'] : []),
      `--max-old-space-size=${limits.memoryMb}`,
      '--disable-warning=ExperimentalWarning',
      paths.runner,
    ];
    const [command, ...prefix] = [...networkIsolation(), process.execPath];
    this.child = spawn(command, [...prefix, ...args], {
      cwd: paths.workDir,
      // No secrets, tokens or grader settings: the child starts with an empty environment.
      env: {},
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.on('message', (message: ChildMessage) => this.onMessage(message));
    this.child.on('error', (error) => this.onExit(`could not start: ${error.message}`));
    // 'close' comes after the pipes have closed, so all the child's output is in by then.
    this.child.on('close', (code, signal) => this.onExit(signal ? `signal ${signal}` : `exit code ${code}`));
    this.child.channel?.unref();
    this.memoryTimer = setInterval(() => this.pollMemory(), MEMORY_POLL_MS);
    this.memoryTimer.unref();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Waits until the runner is ready to take requests. */
  ready(): Promise<CallOutcome> {
    return this.request(undefined, ['ready'], START_TIMEOUT_MS);
  }

  /** Imports the compiled submission; on success the value lists its exports and their types. */
  load(message: Extract<ParentMessage, { type: 'load' }>, timeoutMs: number): Promise<CallResult> {
    return this.timed(undefined, () => this.request(message, ['loaded', 'load-error'], timeoutMs));
  }

  call(name: string, args: unknown[], timeoutMs: number): Promise<CallResult> {
    const id = randomUUID();
    const marker = `\u0000mlgrade-end-of-call-${randomUUID()}\u0000`;
    return this.timed(marker, () => this.request({ type: 'call', id, name, args, marker }, ['result', 'error'], timeoutMs, id));
  }

  /** What the child has written to stderr since the last request began. */
  stderrText(): string {
    return this.stderr.result();
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private async timed(marker: string | undefined, run: () => Promise<CallOutcome>): Promise<CallResult> {
    this.stdout.begin(marker);
    this.stderr.begin(marker);
    const started = performance.now();
    const outcome = await run();
    const durationMs = performance.now() - started;
    // A dead child's output is complete already (see 'close'); a live one marks the end.
    if (!this.exited) await Promise.all([this.stdout.settled(OUTPUT_SETTLE_MS), this.stderr.settled(OUTPUT_SETTLE_MS)]);
    return { outcome, durationMs, stdout: this.stdout.result(), stderr: this.stderr.result() };
  }

  private request(message: ParentMessage | undefined, expect: ChildMessage['type'][], timeoutMs: number, id?: string): Promise<CallOutcome> {
    if (this.exited) return Promise.resolve({ kind: 'crash', message: `the sandbox process is not running (${this.exitInfo})` });
    if (this.pending) throw new Error('SandboxProcess: one request at a time');
    return new Promise<CallOutcome>((resolve) => {
      this.timeoutMs = timeoutMs;
      const pending: Pending = { expect, id, resolve };
      pending.timer = setTimeout(() => {
        this.killReason = 'timeout';
        this.kill();
      }, timeoutMs);
      this.pending = pending;
      if (message) {
        try {
          this.child.send(message);
        } catch (error) {
          this.settle({ kind: 'crash', message: `could not send the input to the sandbox: ${(error as Error).message}` });
        }
      }
    });
  }

  private settle(outcome: CallOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    pending.resolve(outcome);
  }

  private onMessage(message: ChildMessage): void {
    const pending = this.pending;
    if (!pending || typeof message !== 'object' || message === null || !pending.expect.includes(message.type)) return;
    if (pending.id !== undefined && (message as { id?: unknown }).id !== pending.id) return;
    switch (message.type) {
      case 'ready':
        this.settle({ kind: 'ok', value: undefined });
        break;
      case 'loaded':
        this.settle({ kind: 'ok', value: message.exports });
        break;
      case 'result':
        this.settle({ kind: 'ok', value: message.value, leakedTensors: typeof message.leakedTensors === 'number' ? message.leakedTensors : undefined });
        break;
      case 'load-error':
        this.settle({ kind: 'error', message: String(message.message) });
        break;
      case 'error':
        this.settle(message.refused === true ? { kind: 'error', message: String(message.message), refused: true } : { kind: 'error', message: String(message.message) });
        break;
    }
  }

  private pollMemory(): void {
    if (this.exited || this.child.pid === undefined) return;
    const rss = residentMb(this.child.pid);
    if (rss !== undefined && rss > this.limits.memoryMb) {
      this.killReason = 'memory';
      this.kill();
    }
  }

  private onExit(info: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitInfo = info;
    clearInterval(this.memoryTimer);
    const heapExhausted = /heap out of memory|Reached heap limit|Allocation failed/i.test(this.stderr.peek());
    if (this.killReason === 'timeout') {
      this.settle({ kind: 'timeout', message: `timed out after ${seconds(this.timeoutMs)}` });
    } else if (this.killReason === 'memory' || heapExhausted) {
      this.settle({ kind: 'memory', message: `used more than ${this.limits.memoryMb} MB of memory and was stopped` });
    } else {
      this.settle({
        kind: 'crash',
        message: `the submission's process ended unexpectedly (${info}) — does it call process.exit, or crash?`,
      });
    }
  }
}
