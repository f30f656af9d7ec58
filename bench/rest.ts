// Signed REST throughput against a bare Fastify HTTPS route, measured in the same run (pino's habit of
// printing a ratio against a baseline). Run: node --import tsx bench/rest.ts [seconds]
//
// (a) a bare Fastify HTTPS server answering a constant on one route;
// (b) the real Retake server (SQLite, self-signed certificate, log level warn) answering a signed
//     flickr.people.getUploadStatus, each request with a fresh OAuth nonce (the server refuses replays).
// (c) the bare route again, sent the very same signed requests (the query is ignored there).
// All get 16 keep-alive connections for the same time. Target: (b) at least 40% of (a).
// Requests are signed before the run (see writeHooks), so the load generator measures the servers.
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
const verifyFile = join(hooks, 'verify-body.cjs')
const hookFile = (target: 'retake' | 'bare', phase: 'warm' | 'run') => join(hooks, `${target}-${phase}.cjs`)
// Enough distinct signed requests for the warm-up and the run at well above the expected rate.
const PRESIGNED_PER_SECOND = 8000
writeHooks()

/** `signed`: which pre-signed request stream to send (each phase has its own, so no nonce repeats). */
async function measure(label: string, url: string, signed?: 'retake' | 'bare'): Promise<AutocannonResult> {
  const base = { url, connections: CONNECTIONS, pipelining: 1, workers: 1, verifyBody: verifyFile }
  const requests = (phase: 'warm' | 'run') => (signed ? { requests: [{ method: 'GET', setupRequest: hookFile(signed, phase) }] } : {})
  await autocannon({ ...base, ...requests('warm'), duration: 2 }) // warm-up: JIT, TLS sessions, SQLite page cache
  const result = await autocannon({ ...base, ...requests('run'), duration: seconds })
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
  const c = await measure('(c) bare route, same signed requests', bareUrl, 'bare')
  const b = await measure('(b) Retake signed people.getUploadStatus', server.httpsUrl, 'retake')
  const ratio = b.requests.average / a.requests.average
  console.log(`ratio b/a: ${(ratio * 100).toFixed(1)}% (target >= 40%)`)
  console.log(`ratio b/c: ${((b.requests.average / c.requests.average) * 100).toFixed(1)}% (the same client work on both sides)`)
} finally {
  await bare.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}

function writeHooks(): void {
  // Every request needs a fresh nonce (the server refuses replays). Signing inside autocannon's worker
  // made the client the bottleneck (the bare route fell from ~6000 to ~2600 req/s with the same signed
  // requests), so requests are signed here beforehand, one stream per target and phase.
  mkdirSync(hooks, { recursive: true })
  for (const target of ['retake', 'bare'] as const) {
    for (const [phase, phaseSeconds] of [['warm', 2], ['run', seconds]] as const) {
      const queries: string[] = []
      for (let i = 0; i < phaseSeconds * PRESIGNED_PER_SECOND; i++) {
        const signed = signedParams({ method: 'GET', url: restUrl, params: query, consumer, token: oauthToken })
        queries.push(new URLSearchParams({ ...query, ...signed }).toString().replace(/\+/g, '%20'))
      }
      const file = hookFile(target, phase)
      writeFileSync(`${file}.txt`, queries.join('\n'))
      writeFileSync(
        file,
        `'use strict'
const queries = require('node:fs').readFileSync(${JSON.stringify(`${file}.txt`)}, 'utf8').split('\\n')
let next = 0
module.exports = (request) => ({ ...request, method: 'GET', path: ${JSON.stringify(target === 'retake' ? restPath : '/constant')} + '?' + queries[next++ % queries.length] })
`,
      )
    }
  }
  writeFileSync(verifyFile, `'use strict'\nmodule.exports = (body) => body.includes('"stat":"ok"')\n`)
}
