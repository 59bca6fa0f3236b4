const { existsSync, readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that CI reads whatever
 * the runner. It is written at exit so that it comes after Jest's own summary. When tests failed,
 * a short diagnosis comes just before it, where the tail of a CI log shows it: the failed tests by
 * name, the local stack's warnings and errors counted by function and message, its last lines that
 * are not JSON logs (poller errors), and the machine's load.
 */
const MAX_FAILED_LISTED = 40;
// The ANSI colour codes Jest puts in failure messages (ESC [ … m).
const ANSI_COLOUR = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
const plainText = (text) => String(text ?? '').replace(ANSI_COLOUR, '');

const failedTests = (results) =>
  results.testResults.flatMap((file) => {
    const name = path.relative(process.cwd(), file.testFilePath);
    if (file.testExecError) return [`${name}: ${plainText(file.testExecError.message).split('\n')[0]}`];
    return file.testResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${name} › ${test.title}: ${plainText(test.failureMessages[0]).split('\n')[0].slice(0, 160)}`);
  });

const stackLogDiagnosis = () => {
  const file = process.env.LOCAL_STACK_LOG_FILE;
  if (!file || !existsSync(file)) return [];
  const counts = new Map();
  const plain = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      plain.push(line.slice(0, 200));
      continue;
    }
    if (entry.level !== 'WARN' && entry.level !== 'ERROR') continue;
    const key = `${entry.level} ${entry.function_name ?? '?'}: ${entry.message}${entry.error?.message ? ` (${String(entry.error.message).slice(0, 80)})` : ''}`;
    const seen = counts.get(key) ?? { count: 0, first: entry.timestamp, last: entry.timestamp };
    counts.set(key, { count: seen.count + 1, first: seen.first, last: entry.timestamp });
  }
  const top = [...counts.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 15);
  return [
    `local stack log (${file}): warnings and errors, most frequent first`,
    ...top.map(([key, { count, first, last }]) => `  ${String(count).padStart(5)} × ${key} [${first} … ${last}]`),
    'its last plain lines:',
    ...plain.slice(-8).map((line) => `  ${line}`),
  ];
};

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const diagnosis = [];
    if (failed > 0) {
      const names = failedTests(results);
      diagnosis.push(`failed (${names.length}):`, ...names.slice(0, MAX_FAILED_LISTED).map((n) => `  ${n}`));
      if (names.length > MAX_FAILED_LISTED) diagnosis.push(`  … and ${names.length - MAX_FAILED_LISTED} more`);
      try {
        diagnosis.push(...stackLogDiagnosis());
      } catch (error) {
        diagnosis.push(`local stack log not read: ${error.message}`);
      }
      diagnosis.push(`load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} on ${os.cpus().length} cores, ${Math.round(os.freemem() / 2 ** 20)} MiB free`);
    }
    process.once('exit', () => {
      if (diagnosis.length) process.stderr.write(`\n${diagnosis.join('\n')}\n`);
      process.stderr.write(`tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}

module.exports = SummaryReporter;
