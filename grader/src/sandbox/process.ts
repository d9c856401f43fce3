import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArgumentChange } from './changes.ts';
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

/** A change report as the child sent it, if it has the right shape (it only ever feeds a note). */
function validChange(change: unknown): ArgumentChange | undefined {
  const c = change as Partial<ArgumentChange> | undefined;
  if (!c || typeof c !== 'object' || !Number.isInteger(c.index) || typeof c.path !== 'string' || typeof c.before !== 'string' || typeof c.after !== 'string') return undefined;
  return { index: c.index!, path: c.path.slice(0, 200), before: c.before.slice(0, 100), after: c.after.slice(0, 100) };
}

export type CallOutcome =
  | { kind: 'ok'; value: unknown; leakedTensors?: number; changedArgument?: ArgumentChange }
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

/**
 * Limits of one request to the child. A call is limited by the CPU time its process uses,
 * not by the wall clock, so that a grade does not depend on how busy the machine is (a TA's
 * batch with more workers than cores, Gradescope's half CPU).
 */
export interface CallLimits {
  /**
   * CPU time (user + system) the child may use during the request, in ms. It is the CPU of
   * the whole process: besides the JavaScript thread it counts V8's garbage-collector and
   * compiler threads (and any threads of a native addon), which is fair, since the request
   * caused that work too.
   */
  cpuMs: number;
  /** The wall-clock backstop in ms; default WALL_CLOCK_BACKSTOP_FACTOR × cpuMs. */
  backstopMs?: number;
  /**
   * A wall-clock deadline from outside, such as the end of the whole run's time budget. It
   * stops the request if it comes before the backstop; `reason` says what it was in the
   * message, e.g. "grading's time limit (60 s) was used up".
   */
  deadline?: { ms: number; reason: string };
}

/**
 * How many times its CPU budget a request may take in wall-clock time. Code that sleeps or
 * waits (a promise that never settles, Atomics.wait) uses no CPU, so the CPU limit alone would
 * never stop it. 4× lets a CPU-bound call use its whole budget as long as the machine gives it
 * a quarter of a core (e.g. eight busy graders on two cores), while waiting code still stops
 * after a few times its budget.
 */
export const WALL_CLOCK_BACKSTOP_FACTOR = 4;

/** How often the child's resident memory and CPU time are read. */
const POLL_MS = 25;
/** Limit (CPU ms) for the child to start the runner, before any student code is loaded. */
const START_TIMEOUT_MS = 15_000;
/** How long to wait for the rest of a call's output after its result has arrived. */
const OUTPUT_SETTLE_MS = 500;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A measured CPU time, always with one decimal (`0.0 s`, `1.3 s`). */
function cpuSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's utime and stime (`getconf CLK_TCK`), read once; 100 if that fails. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    let value = NaN;
    try {
      value = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).stdout?.trim());
    } catch {
      // No getconf: fall back to Linux's usual value below.
    }
    ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system) a process has used since it started, in ms, from /proc/<pid>/stat
 * (Linux): the sum over all its threads, so V8's GC and compiler threads are included.
 * Undefined where /proc is not available.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command name, is in parentheses and may contain spaces: count from after it.
    // There field 3 (state) is at index 0, so utime (field 14) and stime (field 15) are at 11 and 12.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / clockTicksPerSecond() : undefined;
  } catch {
    return undefined;
  }
}

let cpuMeasurable: boolean | undefined;

/**
 * Whether the grader can read a child's CPU time (Linux /proc), determined once. Elsewhere
 * (macOS, Windows) calls are limited by the wall clock alone: the child cannot be asked for
 * its own process.cpuUsage(), since code stuck in a busy loop never answers.
 */
export function cpuTimeMeasurable(): boolean {
  cpuMeasurable ??= process.platform === 'linux' && processCpuMs(process.pid) !== undefined;
  return cpuMeasurable;
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
  cpuMs: number;
  backstopMs: number;
  /** The child's CPU time when the request began; undefined when it cannot be measured. */
  cpuAtStart?: number;
}

/**
 * One sandboxed child process. It serves one request at a time; running out of CPU time,
 * of wall-clock time or of memory kills it (SIGKILL) and it is then dead for good — the
 * session starts another.
 *
 * Each request is limited by the CPU time the child uses during it (read from /proc by the
 * same poll that watches its memory), with a wall-clock backstop several times larger for
 * code that sleeps or waits. Where CPU time cannot be read, by the wall clock alone.
 */
export class SandboxProcess {
  private child: ChildProcess;
  private pending: Pending | undefined;
  private readonly stdout: CallCapture;
  private readonly stderr: CallCapture;
  private killReason: 'timeout' | 'memory' | undefined;
  /** Why a request ran out of time, set when the child is killed for it. */
  private timeoutMessage = '';
  private pollTimer: NodeJS.Timeout | undefined;
  private exited = false;
  private exitInfo = '';
  private markClosed!: () => void;
  /** Resolves once the process has exited and its output pipes have closed. */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

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
    this.pollTimer = setInterval(() => this.poll(), POLL_MS);
    this.pollTimer.unref();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Waits until the runner is ready to take requests. */
  ready(): Promise<CallOutcome> {
    return this.request(undefined, ['ready'], START_TIMEOUT_MS);
  }

  /**
   * Imports the compiled submission; on success the value lists its exports and their types.
   * A number as `limits` is the CPU time in ms, with the default wall-clock backstop.
   */
  load(message: Extract<ParentMessage, { type: 'load' }>, limits: number | CallLimits): Promise<CallResult> {
    return this.timed(undefined, () => this.request(message, ['loaded', 'load-error'], limits));
  }

  /** Calls an export of the submission. A number as `limits` is the CPU time in ms. */
  call(name: string, args: unknown[], limits: number | CallLimits): Promise<CallResult> {
    const id = randomUUID();
    const marker = `\u0000mlgrade-end-of-call-${randomUUID()}\u0000`;
    return this.timed(marker, () => this.request({ type: 'call', id, name, args, marker }, ['result', 'error'], limits, id));
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

  private request(message: ParentMessage | undefined, expect: ChildMessage['type'][], limits: number | CallLimits, id?: string): Promise<CallOutcome> {
    if (this.exited) return Promise.resolve({ kind: 'crash', message: `the sandbox process is not running (${this.exitInfo})` });
    if (this.pending) throw new Error('SandboxProcess: one request at a time');
    const { cpuMs, backstopMs = WALL_CLOCK_BACKSTOP_FACTOR * cpuMs, deadline } = typeof limits === 'number' ? { cpuMs: limits } : limits;
    // The baseline: CPU the child used before this request (start-up, earlier calls) is not counted.
    const cpuAtStart = cpuTimeMeasurable() && this.child.pid !== undefined ? processCpuMs(this.child.pid) : undefined;
    return new Promise<CallOutcome>((resolve) => {
      const pending: Pending = { expect, id, resolve, cpuMs, backstopMs, cpuAtStart };
      // Without a CPU clock the wall clock is the only limit, at the CPU budget itself.
      const wallMs = cpuAtStart === undefined ? cpuMs : backstopMs;
      const stoppedByDeadline = deadline !== undefined && deadline.ms < wallMs;
      pending.timer = setTimeout(() => this.stopForTime(pending, stoppedByDeadline ? deadline : undefined), stoppedByDeadline ? deadline.ms : wallMs);
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
        this.settle({ kind: 'ok', value: message.value, leakedTensors: typeof message.leakedTensors === 'number' ? message.leakedTensors : undefined, changedArgument: validChange(message.changedArgument) });
        break;
      case 'load-error':
        this.settle({ kind: 'error', message: String(message.message) });
        break;
      case 'error':
        this.settle(message.refused === true ? { kind: 'error', message: String(message.message), refused: true } : { kind: 'error', message: String(message.message) });
        break;
    }
  }

  /** CPU time the child has used since the request began, if it can be measured. */
  private cpuUsedMs(pending: Pending): number | undefined {
    if (pending.cpuAtStart === undefined || this.child.pid === undefined) return undefined;
    const now = processCpuMs(this.child.pid);
    return now === undefined ? undefined : now - pending.cpuAtStart;
  }

  /** Kills the child when the pending request has run out of wall-clock time. */
  private stopForTime(pending: Pending, deadline: { ms: number; reason: string } | undefined): void {
    if (this.pending !== pending || this.exited) return;
    const used = this.cpuUsedMs(pending);
    const cpuLimit = seconds(pending.cpuMs);
    if (used === undefined) {
      // No CPU clock (see cpuTimeMeasurable): the limit was the wall clock.
      this.timeoutMessage = deadline
        ? `stopped after ${seconds(deadline.ms)} of wall-clock time: ${deadline.reason}`
        : `stopped after ${cpuLimit} of wall-clock time (limit ${cpuLimit}; this system cannot measure CPU time, so the wall clock is the limit)`;
    } else if (deadline) {
      this.timeoutMessage = `stopped after ${seconds(deadline.ms)} of wall-clock time: ${deadline.reason} (it had used ${cpuSeconds(used)} of CPU time, limit ${cpuLimit})`;
    } else {
      // Code that used little of its CPU was mostly waiting; code that used much of it was
      // starved by a machine busier than the backstop allows for.
      const why = used < pending.cpuMs / 2 ? 'is it waiting or sleeping?' : 'the machine was too busy to give it its CPU time';
      this.timeoutMessage = `stopped after ${seconds(pending.backstopMs)} of wall-clock time without finishing (wall-clock backstop ${seconds(pending.backstopMs)}; it had used ${cpuSeconds(used)} of CPU time, limit ${cpuLimit}) — ${why}`;
    }
    this.killReason = 'timeout';
    this.kill();
  }

  private poll(): void {
    if (this.exited || this.child.pid === undefined || this.killReason) return;
    const rss = residentMb(this.child.pid);
    if (rss !== undefined && rss > this.limits.memoryMb) {
      this.killReason = 'memory';
      this.kill();
      return;
    }
    const pending = this.pending;
    const used = pending && this.cpuUsedMs(pending);
    if (pending && used !== undefined && used > pending.cpuMs) {
      this.timeoutMessage = `stopped after ${seconds(pending.cpuMs)} of CPU time (limit ${seconds(pending.cpuMs)} of CPU; wall-clock backstop ${seconds(pending.backstopMs)})`;
      this.killReason = 'timeout';
      this.kill();
    }
  }

  private onExit(info: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitInfo = info;
    this.markClosed();
    clearInterval(this.pollTimer);
    const heapExhausted = /heap out of memory|Reached heap limit|Allocation failed/i.test(this.stderr.peek());
    if (this.killReason === 'timeout') {
      this.settle({ kind: 'timeout', message: this.timeoutMessage });
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
