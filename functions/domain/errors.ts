export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

/** A failure the caller can act on. Knows nothing about HTTP; `shared/http/chain.ts` maps `kind` to a status. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, code = `${what.toLowerCase().replace(/\s+/g, '_')}_not_found`) {
    super(code, 'not_found', `${what} not found.`);
  }
}

/** A single bad field, reported the same way as a schema validation failure. */
export class InvalidFieldError extends DomainError {
  constructor(readonly path: string, message: string, code = 'validation_failed') {
    super(code, 'invalid', message, { fields: [{ path, message }] });
  }
}
