import { ERROR_CODES, type ErrorCode } from '../../functions/domain/error-codes';
import { DomainError, InvalidFieldError, NotFoundError } from '../../functions/domain/errors';
import { HttpError } from '../../functions/shared/http/chain';
import { UNAUTHORIZED_BODY } from '../../functions/shared/manifest';

/**
 * Every `error.code` an answer can carry is typed `ErrorCode`, so raising a code missing from
 * `ERROR_CODES` does not compile (`npm run typecheck`). These lines keep that guard honest: if the
 * types loosened to `string`, the `@ts-expect-error` lines would fail the typecheck.
 */
const typeGuards = () => {
  // @ts-expect-error an unknown code does not compile
  new DomainError('no_such_code', 'invalid', 'x');
  // @ts-expect-error an unknown code does not compile
  new HttpError(400, 'no_such_code', 'x');
  // @ts-expect-error only the listed things can be missing
  new NotFoundError('Spaceship');
  // @ts-expect-error an unknown code does not compile
  new InvalidFieldError('primaryPhone', 'x', 'no_such_code');
  const unauthorized: ErrorCode = UNAUTHORIZED_BODY.error.code;
  return unauthorized;
};

describe('the stable error codes', () => {
  it('names not-found errors by what is missing, with a listed code', () => {
    const error = new NotFoundError('Service Location');

    expect({ code: error.code, kind: error.kind, message: error.message }).toEqual({ code: 'service_location_not_found', kind: 'not_found', message: 'Service Location not found.' });
    expect(error.code in ERROR_CODES).toBe(true);
  });

  it('lists the code the API Gateway stand-ins answer a bad key with', () => {
    expect(typeGuards()).toBe('unauthorized');
    expect(ERROR_CODES.unauthorized.status).toBe(401);
  });

  it('gives each code a client-error or server-error status and a description', () => {
    // Assess
    for (const [code, { status, description }] of Object.entries(ERROR_CODES)) {
      expect({ code, status: status >= 400 && status < 600, described: description.length > 10 }).toEqual({ code, status: true, described: true });
    }
  });
});
