/** A fresh CSP nonce: 128 random bits from the platform's CSPRNG (Node and browsers alike). */
export function makeNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
