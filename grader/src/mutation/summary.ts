/**
 * Reading Stryker's JSON report (mutation-testing-report-schema): the score of each file and
 * the mutants no test detected, in the words an instructor needs to write the missing test.
 */

export type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Timeout' | 'Ignored' | 'Pending';

/** Lines and columns from 1, as the report schema has them; the end is exclusive. */
interface Position {
  line: number;
  column: number;
}

export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: MutantStatus;
  static?: boolean;
  coveredBy?: string[];
  killedBy?: string[];
}

/** The parts of the report read here; the rest (schema version, thresholds, …) is passed through. */
export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
  testFiles?: Record<string, { tests: Array<{ id: string }> }>;
}

/**
 * One report from several Stryker runs over different files (the passes of run.ts). Test ids
 * are numbers that each run assigns afresh, so they are prefixed with the run's index to keep
 * `coveredBy` and `killedBy` pointing at the right tests.
 */
export function mergeReports(reports: readonly MutationReport[]): MutationReport {
  if (reports.length === 1) return reports[0];
  const merged: MutationReport = { ...reports[0], files: {}, testFiles: {} };
  reports.forEach((report, index) => {
    const id = (testId: string) => `${index + 1}.${testId}`;
    for (const [name, file] of Object.entries(report.files)) {
      merged.files[name] = {
        ...file,
        mutants: file.mutants.map((m) => ({ ...m, ...(m.coveredBy ? { coveredBy: m.coveredBy.map(id) } : {}), ...(m.killedBy ? { killedBy: m.killedBy.map(id) } : {}) })),
      };
    }
    for (const [name, file] of Object.entries(report.testFiles ?? {})) {
      const tests = file.tests.map((t) => ({ ...t, id: id(t.id) }));
      const existing = merged.testFiles![name];
      merged.testFiles![name] = existing ? { ...existing, tests: [...existing.tests, ...tests] } : { ...file, tests };
    }
  });
  return merged;
}

export interface FileScore {
  file: string;
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  /** Errors and ignored mutants: not counted in the score. */
  other: number;
  /** Stryker's mutation score: detected (killed + timeout) over all valid mutants, in %. NaN without any. */
  score: number;
}

function scoreOf(file: string, mutants: readonly ReportMutant[]): FileScore {
  const count = (status: MutantStatus) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const survived = count('Survived');
  const timeout = count('Timeout');
  const noCoverage = count('NoCoverage');
  const valid = killed + survived + timeout + noCoverage;
  return { file, killed, survived, timeout, noCoverage, other: mutants.length - valid, score: valid === 0 ? Number.NaN : (100 * (killed + timeout)) / valid };
}

/** One row per mutated file, sorted by path, and the total over all of them. */
export function fileScores(report: MutationReport): { files: FileScore[]; total: FileScore } {
  const names = Object.keys(report.files).sort();
  return {
    files: names.map((name) => scoreOf(name, report.files[name].mutants)),
    total: scoreOf('all files', names.flatMap((name) => report.files[name].mutants)),
  };
}

const percent = (score: number): string => (Number.isNaN(score) ? 'n/a' : `${score.toFixed(2)} %`);

/** The per-file table as aligned plain text. */
export function formatScoreTable({ files, total }: { files: FileScore[]; total: FileScore }): string {
  const header = ['file', 'killed', 'survived', 'timeout', 'no coverage', 'score'];
  const row = (s: FileScore) => [s.file, String(s.killed), String(s.survived), String(s.timeout), String(s.noCoverage), percent(s.score)];
  const rows = [header, ...files.map(row), row(total)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...files.map((f) => line(row(f))), rule, line(row(total))].join('\n');
}

/** The source text a mutant replaced, on one line and cut to `max` characters. */
export function originalText(source: string, { start, end }: ReportMutant['location'], max = 80): string {
  const lines = source.split('\n');
  const from = lines.slice(0, start.line - 1).reduce((n, l) => n + l.length + 1, 0) + start.column - 1;
  const to = lines.slice(0, end.line - 1).reduce((n, l) => n + l.length + 1, 0) + end.column - 1;
  return shorten(source.slice(from, to), max);
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/**
 * Every mutant that no test detected (Survived, NoCoverage), grouped by file, one per line:
 * `file:line:column  Status  Mutator  original → replacement`.
 */
export function undetectedMutants(report: MutationReport): string {
  const sections: string[] = [];
  for (const file of Object.keys(report.files).sort()) {
    const { source, mutants } = report.files[file];
    const undetected = mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    if (undetected.length === 0) continue;
    const lines = undetected.map((m) => {
      const where = `${file}:${m.location.start.line}:${m.location.start.column}`;
      const replacement = shorten(m.replacement ?? '', 80);
      return `${where}  ${m.status}${m.static ? ' (static)' : ''}  ${m.mutatorName}  ${originalText(source, m.location)} → ${replacement}`;
    });
    sections.push(`${file} (${undetected.length})\n${lines.join('\n')}`);
  }
  return sections.join('\n\n');
}
