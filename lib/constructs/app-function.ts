import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUCKETS, ENV, FUNCTION_DEFAULTS, METRICS, TABLE, type Stage } from '../../functions/shared/manifest';
import { acknowledge } from './nag';
import { FUNCTIONS_DIR, handlerModule } from '../source-paths';

/** Phone number metadata, read at run time from beside the bundle (functions/domain/phone.ts). */
const PHONE_METADATA_DIR = path.join(FUNCTIONS_DIR, 'domain', 'phone-metadata');

/**
 * Functions built without the Powertools Tracer: their bundle plus the tracer (the X-Ray SDK, about
 * 125 KB) would pass the 250 KB ceiling (scripts/bundles/measure.ts). They keep Lambda's active
 * tracing (the invocation segment, no SDK or HTTP subsegments); `CS_TRACER=off` is defined at build
 * time so esbuild drops the tracer (functions/shared/adapters/tracing.ts).
 */
export const UNTRACED_FUNCTIONS: ReadonlySet<string> = new Set(['set-customer', 'set-service-location', 'set-statement', 'set-statements', 'pay-statement', 'refund-payment']);

export type EnvName = (typeof ENV)[keyof typeof ENV];
export type Access = 'RO' | 'RW';

export interface AppFunctionProps {
  /** Folder under `functions/` holding `handler.ts`. */
  readonly fn: string;
  readonly stage: Stage;
  /** @default FUNCTION_DEFAULTS.timeoutSeconds */
  readonly timeout?: Duration;
  /** @default FUNCTION_DEFAULTS.memoryMb */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Applies to the function's log group. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  readonly environment?: Record<string, string>;
  /** Modules left out of the bundle besides the AWS SDK (e.g. one a layer provides). @default - none */
  readonly externalModules?: readonly string[];
}

/**
 * The Lambda defaults of this service: Node.js 24 on arm64, X-Ray tracing, JSON logs in a log group
 * with an explicit retention, source maps, bundled by the local esbuild (no Docker). The `bind*`
 * helpers set an environment variable and the matching grant together, so neither is forgotten.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    // Created before super() so the function writes to it from its first invocation; the implicit
    // /aws/lambda group would keep logs forever.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: `${handlerModule(props.fn)}.ts`,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memoryMb,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_DEFAULTS.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      environment: {
        // Stack traces point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools reads these, so every function's metrics land where the dashboard and alarms look.
        POWERTOOLS_SERVICE_NAME: METRICS.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
        [ENV.stage]: props.stage,
        ...(UNTRACED_FUNCTIONS.has(props.fn) ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // The only "legal" comments in these bundles are coverage markers (`v8 ignore … @preserve`).
        // UTF-8 output writes a character like `•` in 2–3 bytes where an escape takes 6.
        esbuildArgs: { '--legal-comments': 'none', '--charset': 'utf8' },
        ...(UNTRACED_FUNCTIONS.has(props.fn) ? { define: { 'process.env.CS_TRACER': JSON.stringify('off') } } : {}),
        // The Node.js 24 runtime ships the AWS SDK v3; esbuild leaves it out of the bundle.
        externalModules: ['@aws-sdk/*', ...(props.externalModules ?? [])],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Only bundles that parse phone numbers name the folder; they get a copy beside index.js.
          afterBundling: (_inputDir, outputDir) => [
            `if grep -q phone-metadata "${outputDir}/index.js"; then cp -R "${PHONE_METADATA_DIR}" "${outputDir}/phone-metadata"; fi`,
          ],
        },
      },
    });
    acknowledge(this, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'Grants only CloudWatch Logs writes, which every function needs.',
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray PutTraceSegments/PutTelemetryRecords take no resource ARN (and SMS Publish, see messaging.ts).',
    });
  }

  /** Passes the table name under `ENV.table` and grants read (`RO`) or read/write (`RW`) access. */
  bindTable(table: ITable, access: Access, envName: EnvName = ENV.table): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'RW') table.grantReadWriteData(this);
    else table.grantReadData(this);
    acknowledge(this, { [`AwsSolutions-IAM5[Resource::<${TABLE.id}.Arn>/index/*]`]: 'Queries of the table\'s own GSIs (gsi1).' });
    return this;
  }

  /** The Powertools idempotency table: its persistence layer reads, writes and deletes records. */
  bindIdempotencyTable(table: ITable): this {
    return this.bindTable(table, 'RW', ENV.idempotencyTable);
  }

  /** `RO` lets the function read objects (and sign GET links); `RW` also lets it write them. */
  bindBucket(bucket: IBucket, access: Access, envName: EnvName = ENV.attachmentsBucket): this {
    this.addEnvironment(envName, bucket.bucketName);
    if (access === 'RW') bucket.grantReadWrite(this);
    else bucket.grantRead(this);
    acknowledge(this, {
      [`AwsSolutions-IAM5[Resource::<${BUCKETS.attachments.id}.Arn>/*]`]: 'Statement PDFs have one key each under the bucket.',
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK grantRead: object reads (and versions) only.',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'CDK grantRead: bucket metadata reads.',
      'AwsSolutions-IAM5[Action::s3:List*]': 'CDK grantRead: listing the one bucket.',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'CDK grantReadWrite: a replaced or rejected statement\'s PDF is deleted.',
      'AwsSolutions-IAM5[Action::s3:Abort*]': 'CDK grantReadWrite: aborting a failed multipart upload.',
    });
    return this;
  }

  /** Passes a queue URL and lets the function send to it (consuming is granted by the event source). */
  bindQueueSender(queue: IQueue, envName: EnvName): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /** Sets a plain configuration value by its manifest name. */
  setEnv(envName: EnvName, value: string): this {
    this.addEnvironment(envName, value);
    return this;
  }
}

/** `set-statement` → `SetStatement`: construct IDs are PascalCase nouns. */
export const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
