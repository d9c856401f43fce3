import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { BatchError, shardOf, submissionsFromRoster } from './batch.ts';

/** A roster's `repository`: `owner/name` is a GitHub repository; anything else a git URL or path as written. */
export function repositoryUrl(repository: string, host = 'https://github.com'): string {
  return /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository) && !existsSync(repository) ? `${host}/${repository}.git` : repository;
}

export interface CloneOutcome {
  student: string;
  repository: string;
  /** The folder cloned into, or undefined when the clone failed (the batch then grades the student as not submitted). */
  dir?: string;
  error?: string;
}

/**
 * Clones the roster's repositories (column `repository`) of one shard into `out/<student>`,
 * shallow, at the default branch, so that `mlgrade batch --roster … --submissions out` grades
 * them. A token (e.g. a GitHub token with read access to the students' repositories) is sent
 * as an HTTP header, never written into a URL, a remote or a log. A repository that cannot be
 * cloned is reported and left out: its student's row then says "no submission folder".
 */
export function cloneRoster(rosterFile: string, out: string, options: { shard?: { index: number; count: number }; token?: string; host?: string } = {}): CloneOutcome[] {
  submissionsFromRoster(rosterFile, out); // refuses bad or repeated student ids
  const rows = parse<Record<string, string>>(readFileSync(rosterFile, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  if (rows.length > 0 && !('repository' in rows[0])) throw new BatchError(`--roster ${rosterFile}: no "repository" column (columns: ${Object.keys(rows[0]).join(', ')})`);
  mkdirSync(out, { recursive: true });
  const auth = options.token ? ['-c', `http.extraHeader=Authorization: basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`] : [];
  return shardOf(rows.map((row) => ({ student: row.student, repository: row.repository ?? '' })), options.shard).map(({ student, repository }) => {
    const dir = path.resolve(out, student);
    if (!repository) return { student, repository: '', error: 'no repository on the roster' };
    if (existsSync(dir)) return { student, repository, error: `${dir} exists already; remove it to clone again` };
    const url = repositoryUrl(repository, options.host);
    const clone = spawnSync('git', [...auth, 'clone', '--quiet', '--depth', '1', '--', url, dir], { encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    if (clone.status !== 0) return { student, repository, error: (clone.stderr || clone.error?.message || 'git clone failed').trim().split('\n')[0] };
    return { student, repository, dir };
  });
}
