import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pg from 'pg'
import { Agent } from 'undici'
import { defaultConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { createApp, createUser, issueAccessToken } from '../../src/domain/accounts/account-service.js'
import type { Perms } from '../../src/db/tables.js'
import { createSelfSignedCertificate } from '../../src/http/tls.js'
import { startServer, type RunningServer } from '../../src/server.js'
import type { Clock } from '../../src/services.js'
import type { Backend, BlobStoreKind } from './backends.js'
import { createTestBucket, testS3, type TestBucket } from './s3.js'

let certPromise: Promise<{ certFile: string; keyFile: string; cert: string }> | undefined

/** One self-signed certificate per test process, trusted explicitly by every client. */
export function testCertificate() {
  certPromise ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retake-cert-'))
    const { cert, key } = await createSelfSignedCertificate(['localhost'], ['127.0.0.1', '::1'])
    const certFile = join(dir, 'cert.pem')
    const keyFile = join(dir, 'key.pem')
    writeFileSync(certFile, cert)
    writeFileSync(keyFile, key)
    return { certFile, keyFile, cert }
  })()
  return certPromise
}

export interface TestUser {
  nsid: string
  username: string
  password: string
}

export interface TestApp {
  apiKey: string
  secret: string
}

export interface TestServer {
  url: string
  httpUrl: string | null
  caFile: string
  ca: string
  dataDir: string
  config: Config
  running: RunningServer
  /** An undici dispatcher that trusts the test certificate (for fetch) */
  dispatcher: Agent
  createUser(username: string, options?: { pro?: boolean; password?: string; fullname?: string }): Promise<TestUser>
  createApp(owner: string, name?: string): Promise<TestApp>
  createToken(user: TestUser, app: TestApp, perms: Perms, legacy?: boolean): Promise<{ token: string; secret: string }>
  /** A pro user with an app and an OAuth token: what most suites start from */
  createUploader(username?: string, perms?: Perms): Promise<TestUploader>
  close(): Promise<void>
}

export interface TestUploader {
  user: TestUser
  app: TestApp
  /** The app as an OAuth consumer and the user's token, in the shape the signing helpers take */
  consumer: { key: string; secret: string }
  token: { key: string; secret: string }
}

export interface StartTestServerOptions {
  backend?: Backend
  /** 's3': blobs in a new bucket on the test S3 server, dropped on close; default 'fs' (DATA/blobs/) */
  blobStore?: BlobStoreKind
  config?: Partial<Record<keyof Config, unknown>>
  clock?: Clock
  logStream?: NodeJS.WritableStream
  /** Test-only fault hook called at each photo-processing step */
  faults?: (step: string) => void | Promise<void>
}

/** The real app over real TLS on 127.0.0.1 port 0, with a real SQLite file or PostgreSQL schema. */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const { certFile, keyFile, cert } = await testCertificate()
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-test-'))
  const databaseUrl = options.backend?.databaseUrl ?? null
  const pgSchema = databaseUrl ? `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}` : undefined
  const bucket = options.blobStore === 's3' ? await createS3Bucket() : undefined
  const config = defaultConfig({
    dataDir,
    httpsPort: 0,
    httpPort: 0,
    tlsCert: certFile,
    tlsKey: keyFile,
    databaseUrl,
    logLevel: 'warn',
    ...bucket?.config,
    ...options.config,
  })
  const running = await startServer(config, { pgSchema, clock: options.clock, faults: options.faults, logStream: options.logStream ?? devNull() }).catch(
    async (error: unknown) => {
      await bucket?.drop()
      throw error
    },
  )
  const services = running.services
  const dispatcher = new Agent({ connect: { ca: cert } })
  const testServer: TestServer = {
    url: running.httpsUrl,
    httpUrl: running.httpUrl,
    caFile: certFile,
    ca: cert,
    dataDir,
    config,
    running,
    dispatcher,
    async createUser(username, userOptions = {}) {
      const password = userOptions.password ?? `pw-${username}`
      const account = await createUser(services, { username, isPro: userOptions.pro ?? true, password, fullname: userOptions.fullname })
      return { nsid: account.nsid, username, password }
    },
    async createApp(owner, name = 'Test app') {
      const app = await createApp(services, { name, ownerUsername: owner })
      return { apiKey: app.apiKey, secret: app.secret }
    },
    async createToken(user, app, perms, legacy = false) {
      const issued = await issueAccessToken(services, { userNsid: user.nsid, apiKey: app.apiKey, perms, legacy })
      return { token: issued.token, secret: issued.secret ?? '' }
    },
    async createUploader(username = 'alice', perms = 'write') {
      const user = await testServer.createUser(username, { pro: true })
      const app = await testServer.createApp(username)
      const token = await testServer.createToken(user, app, perms)
      return { user, app, consumer: { key: app.apiKey, secret: app.secret }, token: { key: token.token, secret: token.secret } }
    },
    async close() {
      await running.close()
      await dispatcher.close()
      await bucket?.drop()
      if (databaseUrl && pgSchema) {
        const client = new pg.Client({ connectionString: databaseUrl })
        await client.connect()
        await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`)
        await client.end()
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return testServer
}

/** A bucket of the server's own and the config keys pointing at it. */
async function createS3Bucket(): Promise<TestBucket & { config: Partial<Record<keyof Config, unknown>> }> {
  const s3 = testS3()
  if (!s3) throw new Error("blobStore 's3' asked for, but no test S3 server is configured (scripts/rgw.sh start)")
  const bucket = await createTestBucket(s3)
  const config = {
    s3Bucket: bucket.name,
    s3Endpoint: s3.endpoint,
    s3Region: s3.region,
    s3AccessKeyId: s3.accessKeyId,
    s3SecretAccessKey: s3.secretAccessKey,
    s3ForcePathStyle: true,
  }
  return { ...bucket, config }
}

/** Test logs are dropped unless RETAKE_TEST_LOG=1 asks for them on stderr. */
function devNull(): NodeJS.WritableStream {
  if (process.env.RETAKE_TEST_LOG) return process.stderr
  return new Writable({ write: (_chunk, _encoding, callback) => callback() })
}
