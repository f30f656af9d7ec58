import { webcrypto, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { CERTIFICATE_HOSTS, CERTIFICATE_IPS } from './hosts.js'

// A private CA under DATA/drop-in/ and one server certificate it signs for Flickr's host names. The
// CA key never leaves that folder; only ca.pem is handed to clients to trust.

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 24 * 3600 * 1000
const CA_DAYS = 3650
// Browsers and Apple refuse leaf certificates valid longer than 397 days; stay under it.
const LEAF_DAYS = 390
// A leaf this close to expiry is reissued by the next init or serve, so a running setup never lapses.
const RENEW_DAYS = 30

export interface DropInFiles {
  dir: string
  caCert: string
  caKey: string
  cert: string
  key: string
}

export function dropInFiles(dataDir: string): DropInFiles {
  const dir = join(dataDir, 'drop-in')
  return { dir, caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca-key.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') }
}

export interface DropInTls {
  files: DropInFiles
  caCreated: boolean
  leafIssued: boolean
}

/** Makes the CA once (reused ever after) and a server certificate when there is none or it is due. */
export async function ensureDropInTls(dataDir: string, now = new Date()): Promise<DropInTls> {
  const files = dropInFiles(dataDir)
  mkdirSync(files.dir, { recursive: true, mode: 0o700 })
  const caCreated = !existsSync(files.caCert) || !existsSync(files.caKey)
  if (caCreated) {
    const ca = await createCa(now)
    writeFileSync(files.caKey, ca.key, { mode: 0o600 })
    writeFileSync(files.caCert, ca.cert)
  }
  chmodSync(files.caKey, 0o600)
  const caPem = readFileSync(files.caCert, 'utf8')
  const leafIssued = caCreated || !leafIsUsable(files, caPem, now)
  if (leafIssued) {
    const caKey = await importKey(readFileSync(files.caKey, 'utf8'))
    const leaf = await createLeaf(new x509.X509Certificate(caPem), caKey, now)
    writeFileSync(files.key, leaf.key, { mode: 0o600 })
    writeFileSync(files.cert, leaf.cert)
  }
  return { files, caCreated, leafIssued }
}

/** The existing leaf is kept when the current CA signed it, it names every host and is not due. */
function leafIsUsable(files: DropInFiles, caPem: string, now: Date): boolean {
  if (!existsSync(files.cert) || !existsSync(files.key)) return false
  const leaf = new X509Certificate(readFileSync(files.cert, 'utf8'))
  const names = leaf.subjectAltName ?? ''
  const coversAll = CERTIFICATE_HOSTS.every((host) => names.includes(`DNS:${host}`))
  return coversAll && leaf.verify(new X509Certificate(caPem).publicKey) && new Date(leaf.validTo).getTime() - now.getTime() > RENEW_DAYS * DAY
}

function serialNumber(): string {
  // Positive (high bit clear) and random, as RFC 5280 asks of serials.
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
}

async function createCa(now: Date): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const notBefore = new Date(now.getTime() - 60_000)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Retake drop-in local CA, O=Retake',
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_DAYS * DAY),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      // pathLen 0: this CA signs server certificates only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { cert: `${cert.toString('pem')}\n`, key: await exportKey(keys.privateKey) }
}

async function createLeaf(ca: x509.X509Certificate, caKey: webcrypto.CryptoKey, now: Date): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const notBefore = new Date(now.getTime() - 60_000)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=www.flickr.com, O=Retake drop-in',
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + LEAF_DAYS * DAY),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...CERTIFICATE_HOSTS.map((value) => ({ type: 'dns' as const, value })),
        ...CERTIFICATE_IPS.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  })
  return { cert: `${cert.toString('pem')}\n`, key: await exportKey(keys.privateKey) }
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64')
  return `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
}
