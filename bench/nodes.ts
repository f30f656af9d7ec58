// Scale-out: the same async replace load on one node, then on two nodes sharing one PostgreSQL database
// and one RGW bucket (requests alternate between the nodes, as a round-robin balancer would), and the
// sync replace latency of the shared setup against the filesystem blob store, in the same run.
// Run: scripts/rgw.sh start && node --import tsx bench/nodes.ts [count] [syncRuns]
//   RETAKE_BENCH_DATABASE_URL  PostgreSQL server where throwaway databases are made
//                              (default postgres://postgres@127.0.0.1:5432/test)
//   RETAKE_TEST_S3_*           the S3 server (else scripts/rgw.sh's running cluster); a bucket is made per run
// Load: `count` async replaces of a 12 MP JPEG (4000x3000 q90, noisy) round-robin over 4 photos, all sent,
// then checkTickets polled until every ticket is done. Default workers (one per core) on each node.
// Prints figures and ratios, never asserts. On one machine, two nodes share its cores: the figure shows
// what sharing the work costs or gains here, not what two machines would do.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Agent } from 'undici'
import { createTestBucket, testS3 } from '../test/helpers/s3.js'
import { waitForTickets } from '../test/helpers/tickets.js'
import { load, makePhotoJpeg, sendPhoto, startChildServer, stats, type ChildServer, type Credentials } from './lib/retake-bench-server.js'

const COUNT = Number(process.argv[2] ?? 24)
const SYNC_RUNS = Number(process.argv[3] ?? 8)
const PHOTOS = 4
const ADMIN_URL = process.env.RETAKE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const fmt = (n: number, digits = 0) => n.toFixed(digits)

type Node = { url: string; dispatcher: Agent; credentials: Credentials }

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  await client.query(sql).finally(() => client.end())
}

/** A throwaway database on the bench server; its URL and how to drop it. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `retake_bench_${process.pid}_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** A second `retake serve` on the first one's database and bucket, with its own data folder and the same certificate. */
async function startPeer(first: ChildServer, env: Record<string, string>): Promise<Node & { close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-bench-peer-'))
  cpSync(join(first.dataDir, 'data', 'tls'), join(dataDir, 'tls'), { recursive: true })
  const child: ChildProcess = spawn(join(ROOT, 'bin', 'retake'), ['serve', '--https-port', '0', '--http-port', '0'], {
    env: { ...process.env, ...env, RETAKE_DATA: dataDir, RETAKE_LOG_LEVEL: 'warn' }, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolveUrl(line.trim()))
  })
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(dataDir, 'tls', 'cert.pem')) }, connections: 16 })
  return {
    url, dispatcher, credentials: first.credentials,
    async close() {
      await dispatcher.close()
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function uploadPhotos(node: Node, photo: Buffer): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < PHOTOS; i++) {
    const uploaded = await sendPhoto(node, '/services/upload', { title: `bench ${i}` }, { head: photo })
    if (!uploaded.parsed.id) throw new Error(`upload failed: ${uploaded.body}`)
    ids.push(uploaded.parsed.id)
  }
  return ids
}

/** COUNT async replaces spread over `nodes` in turn, then polled until done: photos per second. */
async function asyncLoad(nodes: Node[], first: ChildServer, ids: string[], photo: Buffer): Promise<{ rate: number; failed: number; seconds: number }> {
  const started = performance.now()
  const tickets: string[] = []
  for (let i = 0; i < COUNT; i++) {
    const result = await sendPhoto(nodes[i % nodes.length]!, '/services/replace', { photo_id: ids[i % PHOTOS]!, async: '1' }, { head: photo })
    if (!result.parsed.ticketId) throw new Error(`async replace refused: ${result.body}`)
    tickets.push(result.parsed.ticketId)
  }
  const states = await waitForTickets(first.ticketServer, first.ticketApp, tickets, 30 * 60_000)
  const seconds = (performance.now() - started) / 1000
  return { rate: COUNT / seconds, failed: states.filter((state) => state.complete !== 1).length, seconds }
}

async function syncLatency(node: Node, ids: string[], photo: Buffer): Promise<{ median: number; p95: number }> {
  const millis: number[] = []
  for (let i = 0; i < SYNC_RUNS; i++) {
    const result = await sendPhoto(node, '/services/replace', { photo_id: ids[i % PHOTOS]! }, { head: photo })
    if (result.parsed.id !== ids[i % PHOTOS]) throw new Error(`sync replace failed: ${result.body}`)
    millis.push(result.timing.answered - result.timing.firstByte)
  }
  return stats(millis)
}

// The SDK's Node 22 notice would otherwise interleave with the figures (this process and the nodes).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const s3 = testS3()
if (!s3) throw new Error('no S3 server: run scripts/rgw.sh start (or set RETAKE_TEST_S3_*)')
const shared = await freshDatabase()
const fsDatabase = await freshDatabase()
const bucket = await createTestBucket(s3)
const sharedEnv = {
  RETAKE_DATABASE_URL: shared.url, RETAKE_S3_BUCKET: bucket.name, RETAKE_S3_ENDPOINT: s3.endpoint, RETAKE_S3_REGION: s3.region,
  RETAKE_S3_ACCESS_KEY_ID: s3.accessKeyId, RETAKE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, RETAKE_S3_FORCE_PATH_STYLE: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
}
const closers: Array<() => Promise<unknown>> = [() => shared.drop(), () => fsDatabase.drop(), () => bucket.drop()]
try {
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, PostgreSQL + RGW at ${s3.endpoint}  (${load()})`)
  const photo = await makePhotoJpeg(4000, 3000, { grain: 40 })
  console.log(`12 MP: 4000x3000 q90, ${fmt(photo.length / 1e6, 1)} MB; ${COUNT} async replaces per phase, ${SYNC_RUNS} sync replaces per store`)

  const a = await startChildServer({}, { env: sharedEnv })
  closers.unshift(() => a.close())
  const ids = await uploadPhotos(a, photo)
  await syncLatency(a, ids, photo) // warm-up
  const one = await asyncLoad([a], a, ids, photo)
  console.log(`\n(1) one node:  ${fmt(one.seconds, 1)} s  ${fmt(one.rate, 2)} photos/s${one.failed ? `  (${one.failed} failed)` : ''}  (${load()})`)

  const b = await startPeer(a, sharedEnv)
  closers.unshift(() => b.close())
  const two = await asyncLoad([a, b], a, ids, photo)
  console.log(`(2) two nodes: ${fmt(two.seconds, 1)} s  ${fmt(two.rate, 2)} photos/s${two.failed ? `  (${two.failed} failed)` : ''}  (${load()})`)
  console.log(`    two / one ${fmt(two.rate / one.rate, 2)}x`)
  await b.close()
  closers.shift()

  const s3Sync = await syncLatency(a, ids, photo)
  const fsServer = await startChildServer({}, { env: { RETAKE_DATABASE_URL: fsDatabase.url } })
  closers.unshift(() => fsServer.close())
  const fsIds = await uploadPhotos(fsServer, photo)
  await syncLatency(fsServer, fsIds, photo) // warm-up
  const fsSync = await syncLatency(fsServer, fsIds, photo)
  console.log(`\n(3) sync replace, first byte -> answer:  PostgreSQL + RGW median ${fmt(s3Sync.median)} ms  p95 ${fmt(s3Sync.p95)} ms;  ` +
    `PostgreSQL + files median ${fmt(fsSync.median)} ms  p95 ${fmt(fsSync.p95)} ms;  RGW / files ${fmt(s3Sync.median / fsSync.median, 2)}x  (${load()})`)
} finally {
  for (const close of closers) await close().catch((error: unknown) => console.error('cleanup:', error))
}
