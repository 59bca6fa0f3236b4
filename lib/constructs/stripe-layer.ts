import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';

/** The module name the functions require; external to their bundles, served by this layer. */
export const STRIPE_SDK_MODULE = 'stripe';

/** The package folder (its `exports` do not name package.json): `node_modules/stripe/cjs/…` → `node_modules/stripe`. */
const SDK_DIR = require.resolve(STRIPE_SDK_MODULE).replace(/([\\/]node_modules[\\/]stripe)[\\/].*$/, '$1');
const SDK_VERSION = (JSON.parse(readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The official `stripe` SDK (the pinned version in package-lock.json) as a Lambda layer: one
 * minified CommonJS file at `nodejs/node_modules/stripe`, built by the local esbuild (no Docker).
 * It is about 240 KB, more than a whole function's budget (scripts/check-bundles.ts), so the
 * functions that call Stripe leave it out of their bundles and require it from here, only in a
 * Stripe stage and only when they first call Stripe. A sandbox stage has no layer at all.
 */
export class StripeSdkLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      description: `stripe ${SDK_VERSION} (minified CommonJS)`,
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      code: lambda.Code.fromAsset(SDK_DIR, {
        // The version names the content: hashing the package's 23 MB on every synth would only say the same.
        assetHashType: AssetHashType.CUSTOM,
        assetHash: `stripe-sdk-${SDK_VERSION}`,
        bundling: {
          // Never pulled: local bundling below always succeeds.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
          local: {
            tryBundle(outputDir: string) {
              const moduleDir = path.join(outputDir, 'nodejs', 'node_modules', STRIPE_SDK_MODULE);
              mkdirSync(moduleDir, { recursive: true });
              buildSync({
                entryPoints: [require.resolve(STRIPE_SDK_MODULE)],
                bundle: true,
                platform: 'node',
                format: 'cjs',
                target: 'node24',
                minify: true,
                legalComments: 'none',
                charset: 'utf8',
                outfile: path.join(moduleDir, 'index.js'),
                logLevel: 'error',
              });
              writeFileSync(path.join(moduleDir, 'package.json'), JSON.stringify({ name: STRIPE_SDK_MODULE, version: SDK_VERSION, main: 'index.js' }));
              return true;
            },
          },
        },
      }),
    });
  }
}
