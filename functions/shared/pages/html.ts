import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../http/chain';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** A fresh CSP nonce per response (pages are never cached, so nonces are never reused). */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * Headers every customer-facing response carries. The CSP allows nothing but our own inline
 * stylesheet (by nonce) and form posts to ourselves: no scripts, fonts, images or frames at all.
 */
export const pageHeaders = (nonce?: string): Record<string, string> => ({
  'Content-Security-Policy': [
    "default-src 'none'",
    nonce ? `style-src 'nonce-${nonce}'` : "style-src 'none'",
    "img-src 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});

export const htmlResult = (statusCode: number, html: string, nonce: string): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'text/html; charset=utf-8', ...pageHeaders(nonce) },
  body: html,
});

/** A redirect that leaks nothing: no caching, no referrer. */
export const redirectResult = (location: string): HttpResult => ({
  statusCode: 302,
  headers: { Location: location, ...pageHeaders() },
  body: '',
});
