import type { ErrorCode } from './error-codes';

export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable';

/**
 * A failure the caller can act on. Knows nothing about HTTP; `shared/http/chain.ts` maps `kind` to a
 * status. `code` is one of the stable codes in `error-codes.ts`: the compiler refuses any other.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What can be missing, with the code each answers. */
const NOT_FOUND = {
  Customer: 'customer_not_found',
  Statement: 'statement_not_found',
  'Statement link': 'statement_link_not_found',
  Attachment: 'attachment_not_found',
  'Service Location': 'service_location_not_found',
  'Webhook delivery': 'webhook_delivery_not_found',
  Payment: 'payment_not_found',
} as const satisfies Record<string, ErrorCode>;

export type Missing = keyof typeof NOT_FOUND;

export class NotFoundError extends DomainError {
  constructor(what: Missing) {
    super(NOT_FOUND[what], 'not_found', `${what} not found.`);
  }
}

/** A single bad field, reported the same way as a schema validation failure. */
export class InvalidFieldError extends DomainError {
  constructor(readonly path: string, message: string, code: ErrorCode = 'validation_failed') {
    super(code, 'invalid', message, { fields: [{ path, message }] });
  }
}

/** Another customer of the location already has this `externalId`; `details.customerId` names it. */
export class ExternalIdTakenError extends DomainError {
  constructor(externalId: string, existingCustomerId: string | undefined) {
    super('external_id_taken', 'conflict', `Another customer of this location already has externalId ${externalId}.`, {
      customerId: existingCustomerId,
    });
  }
}

/** Customers belong to a Service Location, which must exist first. */
export class LocationNotSetUpError extends DomainError {
  constructor() {
    super('service_location_missing', 'conflict', 'Create your Service Location (setServiceLocation) before adding customers.');
  }
}

/** The item changed while the request ran (a conditional write lost); retrying is safe. */
export class ConcurrentUpdateError extends DomainError {
  constructor(what: string) {
    super('concurrent_update', 'conflict', `The ${what} changed while this request ran; retry it.`);
  }
}
