import { createHash, timingSafeEqual } from 'node:crypto'

// Flickr's legacy (pre-OAuth) request signing, reference §4.6:
// md5(secret + name1 + value1 + name2 + value2 …) over the arguments sorted by name, lowercase hex.

/**
 * The `api_sig` for `params` (decoded values, names may repeat). `api_sig` itself is left out; the
 * uploaded file is never in `params` (the caller passes text fields only: a text field that happens
 * to be called `photo` is signed, like any other).
 */
export function apiSig(secret: string, params: ReadonlyArray<readonly [string, string]>): string {
  const signed = params.filter(([name]) => name !== 'api_sig')
  // Byte order of the UTF-8 forms, as Flickr's PHP sort did; equal names (which Flickr never
  // defined) fall back to value order so the result does not depend on arrival order.
  signed.sort(([an, av], [bn, bv]) => compareUtf8(an, bn) || compareUtf8(av, bv))
  const hash = createHash('md5').update(secret, 'utf8')
  for (const [name, value] of signed) hash.update(name, 'utf8').update(value, 'utf8')
  return hash.digest('hex')
}

/** Whether `candidate` is the right `api_sig` for `params`; constant time, hex case ignored. */
export function verifyApiSig(
  secret: string,
  params: ReadonlyArray<readonly [string, string]>,
  candidate: string,
): boolean {
  const expected = Buffer.from(apiSig(secret, params), 'utf8')
  const actual = Buffer.from(candidate.toLowerCase(), 'utf8')
  if (expected.length !== actual.length) {
    // Still do a full comparison so a wrong length costs the same time as a wrong byte.
    timingSafeEqual(expected, expected)
    return false
  }
  return timingSafeEqual(expected, actual)
}

function compareUtf8(a: string, b: string): number {
  // JS compares UTF-16 code units, which differs from UTF-8 byte order above U+D7FF.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
