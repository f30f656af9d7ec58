// `retake drop-in init` and `retake app create --api-key`, as a user runs them (child processes on a
// fresh data folder), and the drop-in config defaults.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { Agent, fetch } from 'undici'
import { loadConfig } from '../../src/config/load.js'
import { waitFor } from '../helpers/poll.js'
import { BIN, cleanEnv, ROOT } from '../helpers/serve-process.js'

const exec = promisify(execFile)
const DAY = 24 * 3600 * 1000

async function retake(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args, '--data', dataDir], { cwd: ROOT, env: cleanEnv() })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('retake drop-in init', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-dropin-cli-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('makes a CA and a P-256 server certificate for every Flickr host, then reuses the CA', async () => {
    const first = await retake(dataDir, 'drop-in', 'init')
    assert.equal(first.code, 0, first.stderr)
    const dir = join(dataDir, 'drop-in')
    const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8')
    assert.equal(statSync(join(dir, 'ca-key.pem')).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'server-key.pem')).mode & 0o777, 0o600)
    assert.equal(statSync(dir).mode & 0o777, 0o700)

    const ca = new X509Certificate(caPem)
    const leaf = new X509Certificate(readFileSync(join(dir, 'server.pem')))
    assert.ok(ca.ca && !leaf.ca)
    assert.ok(leaf.verify(ca.publicKey) && leaf.checkIssued(ca), 'the server certificate is signed by the CA')
    for (const cert of [ca, leaf]) assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    const days = (cert: X509Certificate) => (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY
    assert.ok(days(ca) >= 3649 && days(ca) <= 3651, `CA valid ${days(ca)} days`)
    assert.ok(days(leaf) <= 397, `leaf valid ${days(leaf)} days`)
    const names = leaf.subjectAltName!.split(', ')
    for (const host of ['flickr.com', 'www.flickr.com', 'api.flickr.com', 'up.flickr.com', 'secure.flickr.com', 'm.flickr.com', 'live.staticflickr.com', '*.staticflickr.com', '*.static.flickr.com', 'flic.kr', 'localhost']) {
      assert.ok(names.includes(`DNS:${host}`), `covers ${host}`)
    }
    assert.ok(names.includes('IP Address:127.0.0.1'))
    assert.ok(!first.stdout.includes('PRIVATE KEY'))

    for (const hint of ['update-ca-certificates', 'NODE_EXTRA_CA_CERTS=', 'REQUESTS_CA_BUNDLE=', 'curl --cacert', join(dir, 'ca.pem')]) assert.ok(first.stdout.includes(hint), hint)
    const hostLines = first.stdout.split('\n').filter((line) => /^ {2}127\.0\.0\.1 /.test(line)).join(' ')
    for (const host of ['www.flickr.com', 'api.flickr.com', 'up.flickr.com', 'live.staticflickr.com', 'farm1.staticflickr.com', 'farm66.staticflickr.com', 'farm66.static.flickr.com']) {
      assert.ok(hostLines.split(' ').includes(host), `hosts lines name ${host}`)
    }

    const second = await retake(dataDir, 'drop-in', 'init', '--address', '10.1.2.3')
    assert.equal(second.code, 0, second.stderr)
    assert.equal(readFileSync(join(dir, 'ca.pem'), 'utf8'), caPem, 'the CA is reused')
    assert.match(second.stderr, /reused the existing CA/)
    assert.match(second.stdout, /^ {2}10\.1\.2\.3 flickr\.com /m)
  })
})

describe('retake app create --api-key', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-dropin-app-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))
  const key = 'ac4fd7aa98585b9eee1ba761c209de68'
  const secret = '3adb0f568dc68393'

  it("registers a program's own credentials once, and refuses a taken or malformed key", async () => {
    assert.equal((await retake(dataDir, 'user', 'create', 'alice', '--pro')).code, 0)
    const made = await retake(dataDir, 'app', 'create', 'gallery-dl', '--owner', 'alice', '--api-key', key, '--secret', secret)
    assert.equal(made.code, 0, made.stderr)
    assert.deepEqual(JSON.parse(made.stdout), { api_key: key, secret })

    const refusals: Array<[string[], RegExp]> = [
      [['--api-key', key, '--secret', '0123456789abcdef'], /already registered/],
      [['--api-key', key.slice(1), '--secret', secret], /32 lower-case hex/],
      [['--api-key', key.toUpperCase(), '--secret', secret], /32 lower-case hex/],
      [['--api-key', 'f'.repeat(32), '--secret', 'xyz'], /16 lower-case hex/],
      [['--api-key', 'e'.repeat(32)], /go together/],
    ]
    for (const [args, message] of refusals) {
      const refused = await retake(dataDir, 'app', 'create', 'other', '--owner', 'alice', ...args)
      assert.equal(refused.code, 1, args.join(' '))
      assert.match(refused.stderr, message)
    }
  })
})

describe('dropIn config', () => {
  it('defaults the listeners to 443 and 80; explicit ports and null still win', () => {
    const at = (overrides: Record<string, unknown>, env: Record<string, string> = {}) => {
      const config = loadConfig({ overrides, env })
      return [config.httpsPort, config.httpPort]
    }
    assert.deepEqual(at({}), [8443, 8080])
    assert.deepEqual(at({ dropIn: true }), [443, 80])
    assert.deepEqual(at({}, { RETAKE_DROP_IN: 'true' }), [443, 80])
    assert.deepEqual(at({ dropIn: true, httpsPort: 0, httpPort: null }), [0, null])
    assert.deepEqual(at({ dropIn: true }, { RETAKE_HTTPS_PORT: '9443' }), [9443, 80])
  })
})

describe('retake serve --drop-in (any free ports, no namespace)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-dropin-serve-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('serves the CA-signed certificate, valid for api.flickr.com and live.staticflickr.com', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--drop-in', '--https-port', '0', '--http-port', '0', '--data', dataDir], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    const exited = new Promise((resolve) => child.once('close', resolve))
    try {
      const url = await waitFor(() => /^https:\/\/\S+$/m.exec(stdout)?.[0], { what: 'the HTTPS URL', timeoutMs: 30_000 })
      const ca = readFileSync(join(dataDir, 'drop-in', 'ca.pem'))
      for (const servername of ['api.flickr.com', 'live.staticflickr.com', 'farm7.staticflickr.com']) {
        // The certificate is checked against `servername`, as a client that resolved that name does.
        const dispatcher = new Agent({ connect: { ca, servername } })
        const response = await fetch(`${url}/services/rest/?method=flickr.test.echo&format=json&nojsoncallback=1`, { dispatcher })
        assert.equal(response.status, 200, servername)
        assert.equal(((await response.json()) as { code?: number }).code, 100, 'no api_key: error 100, over a trusted connection')
        await dispatcher.close()
      }
    } finally {
      child.kill('SIGTERM')
      await exited
    }
  })
})
