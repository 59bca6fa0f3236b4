import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layer rules live in eslint.config.mjs (`npm run lint`, run by CI). These tests prove the
 * rules catch what they promise to, by linting snippets as if they sat in each layer. ESLint runs
 * in a child process: it loads its ESM config with a dynamic import, which Jest's VM does not allow.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const LINT_SNIPPET = `
const { ESLint } = require('eslint');
const [file, source] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
new ESLint({ cwd: process.cwd() }).lintText(source, { filePath: file }).then(([r]) => process.stdout.write(JSON.stringify(r.messages)));
`;

const violations = async (file: string, source: string): Promise<string[]> => {
  const output = execFileSync(process.execPath, ['-e', LINT_SNIPPET], { cwd: ROOT, input: JSON.stringify([path.join(ROOT, file), source]) });
  const messages = JSON.parse(output.toString()) as { ruleId: string | null; message: string }[];
  return messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
};

describe('layer rules', () => {
  it.each([
    ["import { S3Client } from '@aws-sdk/client-s3';", 'talk to AWS'],
    ["import type { Context } from 'aws-lambda';", 'Lambda event types'],
    ["import middy from '@middy/core';", 'middlewares'],
    ["import { Logger } from '@aws-lambda-powertools/logger';", 'Powertools'],
    ["import https from 'node:https';", 'network'],
    ["import { dynamoDb } from '../shared/adapters/clients/dynamodb';", 'only for the manifest'],
    ["import { handler } from '../set-statement/handler';", 'only for the manifest'],
  ])('refuses %s in functions/domain/', async (source, reason) => {
    const found = await violations('functions/domain/new-rule.ts', `${source}\nexport const x = 1;\n`);

    expect(found.join('\n')).toContain(reason);
  });

  it('lets domain/ import the manifest, other domain modules and zod/mini through domain/zod.ts', async () => {
    const source = "import { TABLE } from '../shared/manifest';\nimport { money } from './money';\nimport * as z from './zod';\nexport const x = [TABLE, money, z];\n";

    expect(await violations('functions/domain/new-rule.ts', source)).toEqual([]);
  });

  it('refuses fetch in functions/domain/', async () => {
    expect(await violations('functions/domain/new-rule.ts', "export const get = () => fetch('https://example.com');\n")).toHaveLength(1);
  });

  it.each(['functions/domain/new-rule.ts', 'functions/shared/adapters/new-adapter.ts', 'functions/set-statement/schema.ts'])('refuses classic zod in %s', async (file) => {
    expect((await violations(file, "import { z } from 'zod';\nexport const x = z;\n")).join('\n')).toContain('zod/mini');
  });

  it('makes functions import their own route constant rather than every route', async () => {
    const found = await violations('functions/set-customer/handler.ts', "import { ROUTES } from '../shared/manifest';\nexport const x = ROUTES.setCustomer;\n");
    const allowed = await violations('functions/set-customer/handler.ts', "import { setCustomerRoute } from '../shared/manifest';\nexport const x = setCustomerRoute;\n");

    expect(found.join('\n')).toContain('setStatementRoute');
    expect(allowed).toEqual([]);
  });

  it('keeps the manifest free of imports', async () => {
    expect(await violations('functions/shared/manifest.ts', "import { z } from 'zod';\nexport const x = z;\n")).toHaveLength(1);
  });

  it.each([
    ['functions/shared/adapters/new-adapter.ts', "import { deliverNotification } from '../use-cases/deliver-notification';"],
    ['functions/shared/repos/new-repo.ts', "import { httpHandler } from '../http/chain';"],
    ['functions/shared/adapters/new-adapter.ts', "import { layout } from '../pages/layout';"],
    ['functions/shared/pages/new-page.ts', "import { settleAttempt } from '../use-cases/settle-attempt';"],
    ['functions/shared/http/new-part.ts', "import { settleAttempt } from '../use-cases/settle-attempt';"],
  ])('keeps %s below the layers above it (%s)', async (file, source) => {
    expect(await violations(file, `${source}\nexport const x = 1;\n`)).toHaveLength(1);
  });

  it('lets use cases call adapters, repositories and pages', async () => {
    const source = "import { sendSms } from '../adapters/channels';\nimport { payments } from '../repos';\nimport { htmlResult } from '../pages/html';\nexport const x = [sendSms, payments, htmlResult];\n";
    expect(await violations('functions/shared/use-cases/new-case.ts', source)).toEqual([]);
  });

  it('lets shared/ adapters import the AWS SDK', async () => {
    expect(await violations('functions/shared/adapters/new-adapter.ts', "import { S3Client } from '@aws-sdk/client-s3';\nexport const x = S3Client;\n")).toEqual([]);
  });
});
