import { randomBytes } from 'node:crypto';
import type { HttpResult } from '../http/chain';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** A fresh CSP nonce per response (pages are never cached, so nonces are never reused). */
export const newNonce = (): string => randomBytes(16).toString('base64');

/** The origin a page may load images from: the merchant's https logo, nothing else. */
export const imageOrigin = (logoUrl: string | undefined): string | undefined => {
  try {
    const url = new URL(logoUrl ?? '');
    return url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Headers every customer-facing response carries. The CSP allows nothing but our own inline
 * stylesheet (by nonce), form posts to ourselves and, when the merchant has a logo, images from
 * that one https origin: no scripts, fonts, other images or frames at all.
 */
export const pageHeaders = (nonce?: string, imgOrigin?: string, stripe?: { script: readonly string[]; frame: readonly string[]; connect: readonly string[] }): Record<string, string> => ({
  'Content-Security-Policy': [
    "default-src 'none'",
    nonce ? `style-src 'nonce-${nonce}'` : "style-src 'none'",
    imgOrigin ? `img-src ${imgOrigin}` : "img-src 'none'",
    // Only the Stripe card form (pages/stripe-form.ts) runs a script: ours by nonce, and Stripe's hosts.
    ...(stripe && nonce ? [`script-src 'nonce-${nonce}' ${stripe.script.join(' ')}`, `frame-src ${stripe.frame.join(' ')}`, `connect-src ${stripe.connect.join(' ')}`] : []),
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

export const htmlResult = (
  statusCode: number,
  html: string,
  nonce: string,
  o: { imgOrigin?: string; headers?: Record<string, string>; stripe?: Parameters<typeof pageHeaders>[2] } = {},
): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'text/html; charset=utf-8', ...pageHeaders(nonce, o.imgOrigin, o.stripe), ...o.headers },
  body: html,
});

/** A redirect that leaks nothing: no caching, no referrer. */
export const redirectResult = (location: string): HttpResult => ({
  statusCode: 302,
  headers: { Location: location, ...pageHeaders() },
  body: '',
});
