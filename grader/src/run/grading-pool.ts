import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AssignmentError } from '../assignment/load.ts';
import type { Result } from '../result/schema.ts';

/**
 * Gradings of tensor assignments side by side, each in a grader process of its own.
 *
 * One grader process runs one tensor grading at a time: tfjs scopes are process-wide, so two
 * interleaved gradings would free each other's tensors. And a grader is busy for only about
 * half of a grading; the rest of the time it waits for the sandboxed submission (measured on
 * `adversarial`: 12 s of 21 s). Separate processes put both halves of two gradings on the
 * machine's cores at once. Each process keeps what it loads (tfjs, the models, MNIST) for
 * every grading it runs.
 */
export interface PoolGrading {
  assignment: string;
  /** The project whose assignments the process loads. */
  root: string;
  submissionDir: string;
  student: string;
  seed: string;
  secret: string;
  problems?: readonly string[];
  /** See GradeOptions.shareProcesses: for the staff's own submissions only. */
  shareProcesses?: boolean;
  /** See GradeOptions.timeLimitMs. */
  timeLimitMs?: number;
  /** See GradeOptions.submittedAt. */
  submittedAt?: string;
}

/** What a grading process sends back: the Result, or why grading failed. */
export type PoolReply = { result: Result } | { error: { name: string; message: string } };

const WORKER = fileURLToPath(new URL('./grading-worker.ts', import.meta.url));

/** As many processes as cores, at most 4: each grading keeps about one core busy. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Worker {
  process: ChildProcess;
  job?: { resolve: (result: Result) => void; reject: (error: Error) => void };
}

export class GradingPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<(worker: Worker) => void> = [];

  constructor(readonly size = defaultPoolSize()) {}

  /** Grades in the next free process (started on first use); results come back as the processes finish. */
  async grade(grading: PoolGrading): Promise<Result> {
    const worker = await this.acquire();
    try {
      return await new Promise<Result>((resolve, reject) => {
        worker.job = { resolve, reject };
        worker.process.send(grading);
      });
    } finally {
      worker.job = undefined;
      if (worker.process.connected) this.release(worker);
    }
  }

  /** Stops every process. */
  close(): void {
    for (const worker of this.all) if (worker.process.connected) worker.process.disconnect();
  }

  private acquire(): Promise<Worker> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.all.length < this.size) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  private start(): Worker {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { process: child };
    child.on('message', (reply: PoolReply) => {
      if ('result' in reply) worker.job?.resolve(reply.result);
      else worker.job?.reject(reply.error.name === 'AssignmentError' ? new AssignmentError(reply.error.message) : new Error(reply.error.message));
    });
    child.on('exit', (code, signal) => {
      worker.job?.reject(new Error(`a grading process stopped (${signal ?? `exit code ${code}`}) before it finished grading`));
      // Whoever waits for a process gets a new one in its place.
      this.all.splice(this.all.indexOf(worker), 1);
      if (this.idle.includes(worker)) this.idle.splice(this.idle.indexOf(worker), 1);
      const next = this.waiting.shift();
      if (next) next(this.start());
    });
    this.all.push(worker);
    return worker;
  }
}
