// Signed REST throughput against a bare Fastify HTTPS route, measured in the same run (pino's habit of
// printing a ratio against a baseline). Run: node --import tsx bench/rest.ts [seconds]
//
// (a) a bare Fastify HTTPS server answering a constant on one route;
// (b) the real Retake server (SQLite, self-signed certificate, log level warn) answering a signed
//     flickr.people.getUploadStatus, each request with a fresh OAuth nonce (the server refuses replays).
// Both get 16 keep-alive connections for the same time. Target: (b) at least 40% of (a).
//
// autocannon runs in a worker thread (its `workers` option), so the load generator does not share an
// event loop with the servers; on a 2-core machine the two still compete for CPU, which lowers both
// figures about equally. autocannon never verifies certificates (lib/httpClient.js hard-codes
// rejectUnauthorized: false), so no TLS setting is changed here; the one checked call below goes
// through undici with the certificate trusted explicitly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { Agent, fetch } from 'undici'
import { defaultConfig } from '../src/config/load.js'
import { createApp, createUser, issueAccessToken } from '../src/domain/accounts/account-service.js'
import { startServer } from '../src/server.js'
import { signedParams } from '../test/helpers/oauth-client.js'

const require = createRequire(import.meta.url)
const seconds = Number(process.argv[2] ?? 10)
const CONNECTIONS = 16

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  errors: number
  timeouts: number
  non2xx: number
  mismatches: number
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = require('autocannon') as Autocannon

const dir = mkdtempSync(join(tmpdir(), 'retake-bench-rest-'))
const server = await startServer(
  defaultConfig({ dataDir: join(dir, 'data'), httpsPort: 0, httpPort: null, logLevel: 'warn' }),
)
const account = await createUser(server.services, { username: 'bench', isPro: true, password: 'bench' })
const app = await createApp(server.services, { name: 'bench', ownerUsername: 'bench' })
const token = await issueAccessToken(server.services, { userNsid: account.nsid, apiKey: app.apiKey, perms: 'read', legacy: false })

const bare = Fastify({ logger: false, https: { cert: server.tls.cert, key: server.tls.key } })
bare.get('/constant', async (_request, reply) => reply.type('application/json; charset=utf-8').send('{"stat":"ok"}'))
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 })

const restPath = '/services/rest'
const restUrl = `${server.httpsUrl}${restPath}`
const query = { method: 'flickr.people.getUploadStatus', format: 'json', nojsoncallback: '1' }
const consumer = { key: app.apiKey, secret: app.secret }
const oauthToken = { key: token.token, secret: token.secret! }

// One call through a verifying client first: a bench of failing requests would measure nothing.
const check = signedParams({ method: 'GET', url: restUrl, params: query, consumer, token: oauthToken })
const dispatcher = new Agent({ connect: { ca: server.tls.cert } })
const checked = await fetch(`${restUrl}?${new URLSearchParams({ ...query, ...check })}`, { dispatcher })
const checkedBody = await checked.text()
if (!checkedBody.includes('"stat":"ok"')) throw new Error(`signed call failed: ${checkedBody}`)
await dispatcher.close()

// Worker threads load request hooks from files (functions cannot be cloned into them).
const hooks = join(dir, 'hooks')
const setupFile = join(hooks, 'sign-request.cjs')
const verifyFile = join(hooks, 'verify-body.cjs')
writeHooks()

async function measure(label: string, url: string, requests?: unknown[]): Promise<AutocannonResult> {
  const base = { url, connections: CONNECTIONS, pipelining: 1, workers: 1, verifyBody: verifyFile, ...(requests ? { requests } : {}) }
  await autocannon({ ...base, duration: 2 }) // warm-up: JIT, TLS sessions, SQLite page cache
  const result = await autocannon({ ...base, duration: seconds })
  const bad = result.errors + result.timeouts + result.non2xx + result.mismatches
  console.log(
    `${label.padEnd(44)} ${result.requests.average.toFixed(0).padStart(7)} req/s  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  total ${result.requests.total}  failed ${bad}`,
  )
  if (bad > 0) console.log(`  (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, wrong body ${result.mismatches})`)
  return result
}

try {
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, ${CONNECTIONS} keep-alive connections, ${seconds} s each (after a 2 s warm-up)`)
  const a = await measure('(a) bare Fastify HTTPS, constant', `${bareUrl}/constant`)
  const b = await measure('(b) Retake signed people.getUploadStatus', server.httpsUrl, [{ method: 'GET', setupRequest: setupFile }])
  const ratio = b.requests.average / a.requests.average
  console.log(`ratio b/a: ${(ratio * 100).toFixed(1)}% (target >= 40%)`)
} finally {
  await bare.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}

function writeHooks(): void {
  const settings = JSON.stringify({ oauthModule: require.resolve('oauth-1.0a'), url: restUrl, path: restPath, query, consumer, token: oauthToken })
  // Signs each request anew with the oauth-1.0a package: fresh nonce and timestamp every time.
  const setup = `'use strict'
const { createHmac } = require('node:crypto')
const settings = ${settings}
const OAuth = require(settings.oauthModule)
const oauth = new OAuth({
  consumer: settings.consumer,
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
})
module.exports = function signRequest(request) {
  const signed = oauth.authorize({ url: settings.url, method: 'GET', data: settings.query }, settings.token)
  const params = new URLSearchParams({ ...settings.query, ...signed })
  return { ...request, method: 'GET', path: settings.path + '?' + params.toString().replace(/\\+/g, '%20') }
}
`
  const verify = `'use strict'\nmodule.exports = (body) => body.includes('"stat":"ok"')\n`
  mkdirSync(hooks, { recursive: true })
  writeFileSync(setupFile, setup)
  writeFileSync(verifyFile, verify)
}

