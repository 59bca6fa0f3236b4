import * as z from '../../domain/zod';

/** Statement link tokens are base64url (192 bits today); anything else is answered with the 404 page. */
export const LinkToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,128}$/));
export const TinyCode = z.string().check(z.regex(/^[A-Za-z0-9]{4,32}$/));
