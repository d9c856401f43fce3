import { execFileSync } from 'node:child_process';
import { TOOL_VERSION } from '../run/version.ts';

function npmVersion(): string {
  try {
    return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return 'not found';
  }
}

/** `mlgrade doctor`: what this machine offers the grader, and which tensor backend it will use. */
export async function doctor(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  out.write(`mlgrade ${TOOL_VERSION}\n`);
  out.write(`node    ${process.version} (${process.platform}-${process.arch})\n`);
  out.write(`npm     ${npmVersion()}\n`);
  const { initTensorBackend } = await import('../tensor/backend.ts');
  try {
    const report = await initTensorBackend();
    out.write(`backend ${report.name} — ${report.reason}\n`);
    for (const u of report.unavailable) out.write(`  not available: ${u.name}: ${u.why}\n`);
    if (report.patchedKernels.length > 0) out.write(`  kernels patched by mlgrade: ${report.patchedKernels.join(', ')}\n`);
    if (process.env.MLGRADE_BACKEND) out.write(`  (MLGRADE_BACKEND=${process.env.MLGRADE_BACKEND})\n`);
    return 0;
  } catch (error) {
    out.write(`backend none — ${(error as Error).message}\n`);
    return 1;
  }
}
