import { checkResolvedAddresses, checkWebhookUrl, isAllowedAddress } from '../../functions/domain/webhook-url';

const production = { allowLoopback: false };
const local = { allowLoopback: true };

describe('webhook URL policy', () => {
  it('accepts an https URL on a public host or public address in production', () => {
    expect(checkWebhookUrl('https://hooks.example.com/payments', production).ok).toBe(true);
    expect(checkWebhookUrl('https://93.184.216.34/hook', production).ok).toBe(true);
    expect(checkWebhookUrl('https://[2606:2800:220:1:248:1893:25c8:1946]/hook', production).ok).toBe(true);
  });

  it('rejects http in production', () => {
    expect(checkWebhookUrl('http://hooks.example.com/payments', production)).toMatchObject({ ok: false, reason: expect.stringContaining('https') });
  });

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback range', 'https://127.8.9.10/hook'],
    ['private 10/8', 'https://10.0.0.5/hook'],
    ['private 172.16/12', 'https://172.20.1.1/hook'],
    ['private 192.168/16', 'https://192.168.1.10/hook'],
    ['link-local', 'https://169.254.10.20/hook'],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'https://100.64.0.1/hook'],
    ['unspecified', 'https://0.0.0.0/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv6 unique-local', 'https://[fd00::1]/hook'],
    ['IPv6 link-local', 'https://[fe80::1]/hook'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 metadata', 'https://[::ffff:169.254.169.254]/hook'],
    ['NAT64 embedding a private IPv4', 'https://[64:ff9b::a00:1]/hook'],
  ])('rejects a %s address in production', (_name, url) => {
    expect(checkWebhookUrl(url, production).ok).toBe(false);
  });

  it('rejects credentials, other schemes, single-label hosts and garbage', () => {
    expect(checkWebhookUrl('https://user:pass@hooks.example.com/', production).ok).toBe(false);
    expect(checkWebhookUrl('ftp://hooks.example.com/', production).ok).toBe(false);
    expect(checkWebhookUrl('https://localhost/hook', production).ok).toBe(false);
    expect(checkWebhookUrl('https://intranet/hook', production).ok).toBe(false);
    expect(checkWebhookUrl('not a url', production).ok).toBe(false);
  });

  it('allows http://localhost and loopback addresses in the local runtime, still not private ones', () => {
    expect(checkWebhookUrl('http://localhost:4567/hook', local).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:4567/hook', local).ok).toBe(true);
    expect(checkWebhookUrl('http://[::1]:4567/hook', local).ok).toBe(true);
    expect(checkWebhookUrl('http://169.254.169.254/', local).ok).toBe(false);
    expect(checkWebhookUrl('http://10.0.0.1/', local).ok).toBe(false);
  });

  it('refuses a host when any one of its resolved addresses is internal (checked at delivery time too)', () => {
    expect(checkResolvedAddresses(['93.184.216.34'], production).ok).toBe(true);
    expect(checkResolvedAddresses(['93.184.216.34', '10.1.2.3'], production).ok).toBe(false);
    expect(checkResolvedAddresses(['127.0.0.1'], production).ok).toBe(false);
    expect(checkResolvedAddresses([], production).ok).toBe(false);
    expect(isAllowedAddress('not-an-ip', local)).toBe(false);
  });
});
