/**
 * Every stable `error.code` an API response can carry, with the HTTP status it comes with. Clients
 * branch on these, so a code is never renamed or reused. The OpenAPI document lists them
 * (`npm run openapi`). `DomainError`, `HttpError` and the API Gateway stand-ins take an `ErrorCode`,
 * so raising a code missing here does not compile. Imports nothing, like the manifest.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, description: 'One or more fields are invalid; `fields` names each one.' },
  invalid_json: { status: 400, description: 'The body is not valid JSON.' },
  invalid_phone: { status: 400, description: 'The phone number cannot be used (not a number that can receive SMS).' },
  invalid_cursor: { status: 400, description: 'The pagination cursor is malformed or belongs to another listing.' },
  bad_request: { status: 400, description: 'API Gateway rejected the request before it reached the service.' },
  unauthorized: { status: 401, description: 'The CX-API-Key header is missing, unknown or revoked.' },
  route_not_found: { status: 404, description: 'No route has this method and path.' },
  service_location_not_found: { status: 404, description: 'The key\'s Service Location has not been set yet.' },
  customer_not_found: { status: 404, description: 'No customer with this id in the key\'s location.' },
  statement_not_found: { status: 404, description: 'The customer has no statement yet.' },
  statement_link_not_found: { status: 404, description: 'Unknown or revoked statement link or tiny link.' },
  attachment_not_found: { status: 404, description: 'The statement has no attachment.' },
  webhook_delivery_not_found: { status: 404, description: 'No webhook delivery with this id in the key\'s location.' },
  payment_not_found: { status: 404, description: 'No payment with this id in the key\'s location.' },
  method_not_allowed: { status: 405, description: 'The path exists but not with this method (local runtime).' },
  external_id_taken: { status: 409, description: 'Another customer of the location has this externalId; `error.customerId` names it.' },
  service_location_missing: { status: 409, description: 'Set the Service Location (POST /setServiceLocation) before adding customers.' },
  concurrent_update: { status: 409, description: 'The item changed while this request ran; retry it.' },
  delivery_not_parked: { status: 409, description: 'Only parked webhook deliveries can be replayed.' },
  refund_exceeds_payment: { status: 409, description: 'The refund would return more than the payment took, counting earlier refunds; `error.refundableMinor` says what is left.' },
  payment_already_refunded: { status: 409, description: 'The payment is already refunded in full.' },
  stripe_event_early: { status: 409, description: 'POST /stripeWebhook: the event is about a payment not recorded yet; Stripe retries the delivery.' },
  invalid_signature: { status: 400, description: 'POST /stripeWebhook: the Stripe-Signature header does not match the body, or is too old.' },
  stripe_not_configured: { status: 404, description: 'POST /stripeWebhook in a stage that does not use Stripe.' },
  payment_not_refundable: { status: 409, description: 'The payment was never captured, so there is nothing to refund.' },
  request_in_progress: { status: 409, description: 'A request with this Idempotency-Key is still running; retry after Retry-After seconds.' },
  payload_too_large: { status: 413, description: 'The body is over the size limit.' },
  unsupported_media_type: { status: 415, description: 'Send the body as application/json.' },
  idempotency_key_reused: { status: 422, description: 'This Idempotency-Key was used with a different body.' },
  throttled: { status: 429, description: 'Too many requests; retry with backoff.' },
  internal_error: { status: 500, description: 'Something failed on our side; the request may be retried.' },
  bad_gateway: { status: 502, description: 'The handler failed unexpectedly (local runtime).' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
