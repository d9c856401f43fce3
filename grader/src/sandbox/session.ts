import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendName } from '../tensor/backend.ts';
import { childSources, compileSubmission } from './compile.ts';
import { type CallResult, SandboxProcess } from './process.ts';
import { createWorkspace, type Workspace } from './workspace.ts';

export interface SessionOptions {
  submissionDir: string;
  /** The module students edit, e.g. `layers.ts`. */
  module: string;
  allowedPackages: readonly string[];
  /** Folders of installed packages the child may read (the project's node_modules). */
  packageDirs: readonly string[];
  memoryMb: number;
  outputBytes: number;
  loadTimeoutMs: number;
  /** Set for assignments with tensors: the child starts this backend before loading the submission. */
  tensorBackend?: BackendName;
  /** Where the child imports tfjs-node from, when that is the backend. */
  tfjsNodeUrl?: string;
}

/** Why a submission could not be loaded at all; every problem is then failed with this. */
export interface LoadFailure {
  stage: 'missing' | 'compile' | 'load';
  message: string;
}

/**
 * Runs one submission's functions in sandboxed children. One child is reused across calls;
 * after a crash, timeout or memory overrun the next call starts a fresh one, so one bad
 * case never costs another its points.
 */
export class SandboxSession {
  exports: Record<string, string> = {};
  loadFailure: LoadFailure | undefined;
  /** Milliseconds spent starting children and loading the submission, for the bench. */
  startups: number[] = [];
  private child: SandboxProcess | undefined;
  /** Calls the current child has served; a child that has served none is as good as new. */
  private callsOnChild = 0;
  private runnerPath = '';
  private tensorRuntimeUrl = '';
  private bundleUrl = '';

  private constructor(
    private readonly options: SessionOptions,
    private readonly workspace: Workspace,
  ) {}

  get warnings(): string[] {
    return this.workspace.warnings;
  }

  static async open(options: SessionOptions): Promise<SandboxSession> {
    if (!existsSync(path.join(options.submissionDir, options.module))) {
      const session = new SandboxSession(options, { root: '', workDir: '', bundleDir: '', warnings: [], remove: () => undefined });
      session.loadFailure = { stage: 'missing', message: `${options.module} was not found in ${options.submissionDir}` };
      return session;
    }
    const workspace = createWorkspace(options.submissionDir);
    const session = new SandboxSession(options, workspace);
    const sources = await childSources();
    session.runnerPath = path.join(workspace.bundleDir, 'runner.mjs');
    writeFileSync(session.runnerPath, sources.runner);
    const tensorRuntimePath = path.join(workspace.bundleDir, 'tensor-runtime.mjs');
    writeFileSync(tensorRuntimePath, sources.tensorRuntime);
    session.tensorRuntimeUrl = pathToFileURL(tensorRuntimePath).href;
    const bundlePath = path.join(workspace.bundleDir, 'submission.mjs');
    const compiled = await compileSubmission({
      sourceDir: workspace.workDir,
      entry: options.module,
      outFile: bundlePath,
      allowedPackages: options.allowedPackages,
    });
    if (!compiled.ok) {
      session.loadFailure = { stage: 'compile', message: `${options.module} does not compile:\n${compiled.message}` };
      return session;
    }
    session.bundleUrl = pathToFileURL(bundlePath).href;
    const first = await session.start();
    if (first.outcome.kind === 'ok') {
      session.exports = first.outcome.value as Record<string, string>;
    } else {
      const stage = first.outcome.kind === 'error' ? 'threw while loading' : 'failed while loading';
      session.loadFailure = { stage: 'load', message: `${options.module} ${stage}: ${first.outcome.message}` };
    }
    return session;
  }

  private async start(): Promise<CallResult> {
    const started = performance.now();
    // A native addon runs outside Node's permission model, so when tfjs-node needs addons
    // the child may not read its own copy: a .node file there must not be loadable.
    const addons = this.options.tensorBackend === 'node';
    const child = new SandboxProcess(
      {
        runner: this.runnerPath,
        workDir: this.workspace.workDir,
        readable: [addons ? this.workspace.bundleDir : this.workspace.root, ...this.options.packageDirs],
        allowAddons: addons,
      },
      { memoryMb: this.options.memoryMb, outputBytes: this.options.outputBytes },
    );
    this.child = child;
    this.callsOnChild = 0;
    const ready = await child.ready();
    if (ready.kind !== 'ok') {
      const detail = child.stderrText().trim().split('\n').slice(0, 3).join(' ');
      const outcome = { kind: 'crash' as const, message: `the sandbox did not start (${ready.kind}${detail ? `: ${detail}` : ''})` };
      return { outcome, durationMs: performance.now() - started, stdout: '', stderr: '' };
    }
    const tensors = this.options.tensorBackend
      ? { backend: this.options.tensorBackend, runtimeUrl: this.tensorRuntimeUrl, tfjsNodeUrl: this.options.tfjsNodeUrl }
      : undefined;
    const loaded = await child.load({ type: 'load', url: this.bundleUrl, tensors }, this.options.loadTimeoutMs);
    this.startups.push(performance.now() - started);
    if (loaded.outcome.kind !== 'ok') child.kill();
    return loaded;
  }

  /** Calls an exported function of the submission in the sandbox. */
  async call(name: string, args: unknown[], timeoutMs: number): Promise<CallResult> {
    if (this.loadFailure) throw new Error(`SandboxSession.call: the submission did not load (${this.loadFailure.message})`);
    if (!this.child?.alive) {
      const restarted = await this.start();
      if (restarted.outcome.kind !== 'ok') {
        return { ...restarted, outcome: { kind: 'crash', message: `the sandbox could not be restarted: ${'message' in restarted.outcome ? restarted.outcome.message : ''}` } };
      }
    }
    this.callsOnChild++;
    return this.child!.call(name, args, timeoutMs);
  }

  /** Makes sure the next call gets a process with no memory of earlier calls. */
  recycle(): void {
    if (this.callsOnChild > 0) this.stop();
  }

  private stop(): void {
    this.child?.kill();
    this.child = undefined;
  }

  close(): void {
    this.stop();
    this.workspace.remove();
  }
}
