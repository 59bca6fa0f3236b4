import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * After `npm run synth`: loads every bundled function from cdk.out the way Lambda's Node.js runtime
 * would (CommonJS `index.js`, the AWS SDK from outside the bundle) with the environment the stack
 * gives it. Catches what template assertions cannot: an ESM-only dependency that esbuild bundled
 * wrongly, or a variable a handler requires at cold start that the stack does not set.
 */
const CDK_OUT = path.resolve(__dirname, '..', 'cdk.out');

type Fn = { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, unknown> } } };

const templates = readdirSync(CDK_OUT).filter((file) => file.endsWith('.template.json'));
if (templates.length === 0) throw new Error('No template in cdk.out: run `npm run synth` first.');

let failures = 0;
for (const file of templates) {
  const resources = JSON.parse(readFileSync(path.join(CDK_OUT, file), 'utf8')).Resources as Record<string, Fn>;
  for (const [id, fn] of Object.entries(resources)) {
    const asset = fn.Type === 'AWS::Lambda::Function' ? fn.Metadata?.['aws:asset:path'] : undefined;
    if (!asset) continue;
    // Deploy-time values (table names, queue URLs) are tokens here; any well-formed stand-in will do.
    const env = Object.fromEntries(
      Object.entries(fn.Properties.Environment?.Variables ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : `https://example.invalid/${name}`]),
    );
    try {
      execFileSync(process.execPath, ['--no-warnings', '-e', "if (typeof require('./index.js').handler !== 'function') throw new Error('no handler export')"], {
        cwd: path.join(CDK_OUT, asset),
        env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      console.log(`ok    ${id}`);
    } catch (error) {
      failures += 1;
      console.error(`FAIL  ${id}\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
  }
}
if (failures) {
  console.error(`${failures} bundled function(s) failed to load`);
  process.exit(1);
}
