// The host names unmodified Flickr programs have compiled in (flickr-apps.md, reference §0 and §6.1).
// One list feeds the certificate, the hosts-file lines and the docs, so they cannot drift apart.

/** Names the drop-in certificate covers. Wildcards cover one label only (RFC 6125), as clients check. */
export const CERTIFICATE_HOSTS = [
  'flickr.com',
  'www.flickr.com',
  'api.flickr.com',
  'up.flickr.com',
  'secure.flickr.com',
  'm.flickr.com',
  'live.staticflickr.com',
  '*.staticflickr.com',
  '*.static.flickr.com',
  'flic.kr',
  'localhost',
] as const

export const CERTIFICATE_IPS = ['127.0.0.1', '::1'] as const

/** Flickr's photo farms: clients build farm{N}.staticflickr.com from a photo's `farm` attribute. */
export const FARM_COUNT = 66

/**
 * Every concrete name a program may resolve: a hosts file has no wildcards, so the `*.` names become
 * the farm hosts clients actually build (farm1..farm66 on both static domains).
 */
export function resolvableHosts(): string[] {
  const fixed = CERTIFICATE_HOSTS.filter((host) => !host.startsWith('*.') && host !== 'localhost')
  const farms: string[] = []
  for (let n = 1; n <= FARM_COUNT; n++) farms.push(`farm${n}.staticflickr.com`, `farm${n}.static.flickr.com`)
  return [...fixed, ...farms]
}

/** `/etc/hosts` lines sending every Flickr host to `address` (the machine running `retake serve --drop-in`). */
export function hostsFileLines(address = '127.0.0.1'): string[] {
  const hosts = resolvableHosts()
  const lines: string[] = []
  // A few names per line keeps the file readable; resolvers accept any number of aliases.
  for (let at = 0; at < hosts.length; at += 6) lines.push(`${address} ${hosts.slice(at, at + 6).join(' ')}`)
  return lines
}
