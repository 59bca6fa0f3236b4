import { hashSecret, issueApiKey, parseApiKey, secretMatches } from '../../functions/domain/api-keys';

describe('API keys', () => {
  it('issues a key whose secret is stored only as a hash that verifies it', () => {
    const issued = issueApiKey();

    const parsed = parseApiKey(issued.apiKey);

    expect(parsed?.keyId).toBe(issued.keyId);
    expect(issued.secretHash).toBe(hashSecret(parsed!.secret));
    expect(issued.secretHash).not.toContain(parsed!.secret);
    expect(secretMatches(parsed!.secret, issued.secretHash)).toBe(true);
  });

  it('refuses another secret for the same key id', () => {
    const issued = issueApiKey();
    const other = parseApiKey(issueApiKey().apiKey)!;

    expect(secretMatches(other.secret, issued.secretHash)).toBe(false);
  });

  it('issues different keys every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => issueApiKey().apiKey));
    expect(keys.size).toBe(50);
  });

  it.each([undefined, '', 'cx_short_secret', 'Bearer abc', `cx_${'A'.repeat(16)}_${'a'.repeat(42)}`])('does not parse %p', (value) => {
    expect(parseApiKey(value)).toBeUndefined();
  });
});
