import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Stripe from 'stripe';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The `emulate` package's Stripe emulator (pinned 0.12.2), in a child process: it is ESM-only,
 * which Jest's CommonJS runtime cannot import. It serves PaymentIntent create, confirm, retrieve
 * and cancel (with their state errors) and signed webhooks; it answers capture and refunds with
 * 404, ignores `confirm: true` on create, and has no declines, idempotency or account scoping.
 */
export const startStripeEmulator = async () => {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const { createEmulator } = await import('emulate'); await createEmulator({ service: 'stripe', port: ${port} }); console.log('ready');`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulate did not start')), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`emulate exited with ${code}`)));
  });
  return {
    stripe: new Stripe('sk_test_emulator', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
};
