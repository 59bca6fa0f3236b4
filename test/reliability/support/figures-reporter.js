/**
 * Prints the reliability figures as one table after Jest's own summary and writes the same table
 * to test-artifacts/reliability/summary.md. Each test file records its figures in
 * test-artifacts/reliability/<area>.json (support/figures.ts); this clears them when the run starts.
 */
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIR = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'reliability');

const table = (rows) => {
  const header = ['area', 'figure', 'value', 'bound', 'met'];
  const cells = rows.map((r) => [r.area, r.figure, String(r.value), r.bound, r.bound ? (r.met ? 'yes' : 'NO') : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
};

class FiguresReporter {
  onRunStart() {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    this.started = Date.now();
  }

  onRunComplete(_contexts, results) {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
    const rows = files.flatMap((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')));
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const missed = rows.filter((r) => r.bound && !r.met).length;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const text = [
      '# Reliability figures',
      '',
      `Run: ${new Date().toISOString()} (clock as the processes see it), ${seconds} s, Node ${process.version}, ` +
        `${results.numPassedTests} tests passed, ${failed} failed; ${rows.length} figures, ${missed} outside their bound.`,
      '',
      table(rows),
      '',
    ].join('\n');
    writeFileSync(path.join(DIR, 'summary.md'), text);
    // After the default reporter's summary (reporters run in the order configured).
    process.stderr.write(`\n${text}\nwritten to ${path.relative(process.cwd(), path.join(DIR, 'summary.md'))}\n`);
  }
}

module.exports = FiguresReporter;
