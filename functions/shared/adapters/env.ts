import { ENV } from '../manifest';

type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required environment variable; throws at cold start when it is missing. */
export const requireEnv = (name: EnvName): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
};

/** Reads an optional environment variable. */
export const optionalEnv = (name: EnvName, fallback: string): string => process.env[name] || fallback;

/**
 * A lazily read required variable: modules that export several handlers' helpers can be imported
 * by a handler that never needs this variable.
 */
export const lazyEnv = (name: EnvName): (() => string) => {
  let value: string | undefined;
  return () => (value ??= requireEnv(name));
};
