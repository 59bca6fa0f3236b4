import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be sent. In production only `https` URLs whose host resolves to public
 * unicast addresses; the local runtime also allows loopback (`http://localhost:…`) so a developer's
 * receiver works. Checked when the URL is set and again, on the resolved addresses, at every delivery
 * (a DNS name can be re-pointed at an internal address after it was accepted).
 */
export interface WebhookUrlPolicy {
  /** Allow `http:` and loopback addresses (the local runtime only). @default false */
  allowLoopback?: boolean;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };
export type AddressCheck = { ok: true } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/**
 * The address ranges a webhook may reach: `unicast` is what ipaddr.js calls everything that is not
 * special (private, loopback, link-local incl. 169.254.169.254 metadata, CGNAT, unique-local,
 * IPv4-mapped, NAT64/6to4/Teredo embeddings that could smuggle an internal IPv4, multicast, reserved…).
 */
export const isAllowedAddress = (address: string, policy: WebhookUrlPolicy = {}): boolean => {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.parse(address).range();
  return range === 'unicast' || (policy.allowLoopback === true && range === 'loopback');
};

/** Strips the brackets of an IPv6 literal host. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks a URL's form: scheme, no credentials, and, when the host is an IP literal, its range.
 * A DNS host passes here and is checked on its resolved addresses by the caller.
 */
export const checkWebhookUrl = (text: string, policy: WebhookUrlPolicy = {}): UrlCheck => {
  if (text.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL is longer than ${MAX_URL_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'The URL is not a valid absolute URL.' };
  }
  const schemes = policy.allowLoopback ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return { ok: false, reason: `The URL must use ${policy.allowLoopback ? 'http or https' : 'https'}.` };
  if (url.username || url.password) return { ok: false, reason: 'The URL must not carry credentials.' };
  const host = hostOf(url);
  if (ipaddr.isValid(host)) {
    return isAllowedAddress(host, policy) ? { ok: true, url } : { ok: false, reason: 'The URL points at a private, loopback, link-local or reserved address.' };
  }
  if (!host.includes('.') && !(policy.allowLoopback && host === 'localhost')) {
    return { ok: false, reason: 'The URL host must be a fully qualified domain name.' };
  }
  return { ok: true, url };
};

/** Every resolved address must be allowed; one internal address is enough to refuse. */
export const checkResolvedAddresses = (addresses: string[], policy: WebhookUrlPolicy = {}): AddressCheck => {
  if (addresses.length === 0) return { ok: false, reason: 'The URL host does not resolve.' };
  const bad = addresses.find((address) => !isAllowedAddress(address, policy));
  return bad ? { ok: false, reason: 'The URL host resolves to a private, loopback, link-local or reserved address.' } : { ok: true };
};
