// Crash test with a real process: `./bin/retake serve` is SIGKILLed while async replaces of large photos
// are being processed, then started again on the same data folder. Every ticket must end complete (1)
// or failed (2, with its cause), every photo must be wholly its old or wholly its new picture (each
// size checked perceptually, the original byte for byte), and no blob, temp file or staged file may be
// left behind that no photo claims.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import sharp from 'sharp'
import { blockPattern, makeJpeg } from '../helpers/images.js'
import { assertLooksLike, fingerprint } from '../helpers/image-fingerprint.js'
import { parsePhotoResponse, photoCall } from '../helpers/photo-calls.js'
import { waitForFsChange } from '../helpers/poll.js'
import { BIN, cleanEnv, ROOT, startServeProcess, type ServeProcess } from '../helpers/serve-process.js'
import { waitForTickets } from '../helpers/tickets.js'
import { loadConfig } from '../../src/config/load.js'
import { createServices } from '../../src/create-services.js'
import { TICKET_COMPLETE, TICKET_FAILED, TICKET_WAITING } from '../../src/db/ticket-repository.js'

const run = promisify(execFile)

const PHOTOS = 4
const SERVER_ENV = {
  // A job whose process died is retried once its lease lapses (SQLite) or it expires (pg-boss): seconds, not minutes.
  RETAKE_JOB_LEASE_SECONDS: '2',
  RETAKE_JOB_EXPIRE_SECONDS: '3',
  // One worker: the replaces run one after another, so some are still waiting at the kill.
  RETAKE_WORKERS: '1',
  RETAKE_LOG_LEVEL: 'warn',
}

/** The database the CLI and the server use: SQLite in the data folder, or a fresh PostgreSQL database. */
interface Store {
  name: string
  databaseUrl: string | null
  env: Record<string, string>
}

async function cli(store: Store, args: string[]): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(store.env), timeout: 60_000 })
  return JSON.parse(stdout) as Record<string, string>
}

/** `retake serve` on `dataDir` with the test's short job timings, resolved once it prints its HTTPS URL. */
function serve(store: Store, dataDir: string): Promise<ServeProcess> {
  return startServeProcess(dataDir, ['--https-port', '0', '--no-http'], { ...SERVER_ENV, ...store.env })
}

const LARGE = { width: 4000, height: 3000 }
let noise: Buffer | undefined

/**
 * A 4000×3000 JPEG of makeJpeg's 8×8 block pattern for `seed` under per-pixel noise: megabytes that
 * take a while to decode and store, while its fingerprint stays that of the pattern.
 */
async function makeLargeNoisyJpeg(seed: number): Promise<Buffer> {
  const { width, height } = LARGE
  const grid = 8
  const cells = blockPattern(seed)
  const rowBytes = width * 3
  const data = Buffer.alloc(rowBytes * height)
  for (let gy = 0; gy < grid; gy++) {
    const row = Buffer.alloc(rowBytes)
    for (let x = 0; x < width; x++) {
      const bright = cells[gy * grid + Math.floor((x * grid) / width)]
      row[x * 3] = bright ? 200 : 45
      row[x * 3 + 1] = bright ? 190 : 50
      row[x * 3 + 2] = bright ? 170 : 60
    }
    for (let y = Math.floor((gy * height) / grid); y < Math.floor(((gy + 1) * height) / grid); y++) row.copy(data, y * rowBytes)
  }
  noise ??= randomBytes(data.length)
  for (let i = 0; i < data.length; i++) data[i] = data[i]! + (noise[i]! & 31) - 16
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
}

/** Every regular file under `dir`, as '/'-separated paths relative to it (dot files included). */
function filesUnder(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true })
  } catch {
    return []
  }
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')).sort()
}

/** Photo folders (`photos/{id}`) that hold more than one generation: a new revision is being written. */
function photosBeingWritten(blobRoot: string, photoIds: string[]): string[] {
  return photoIds.filter((id) => {
    try {
      return readdirSync(join(blobRoot, 'photos', id)).length > 1
    } catch {
      return false
    }
  })
}

/**
 * SQLite always; PostgreSQL when RETAKE_TEST_DATABASE_URL names a server: the CLI has no schema option, so
 * each run gets a database of its own there (created on that server, dropped afterwards).
 */
interface Backend {
  name: string
  /** How long a job interrupted by the kill may take to be retried and finish after the restart */
  resumeMillis: number
  setUp(): Promise<Store>
  tearDown(): Promise<void>
}

function stores(): Backend[] {
  // SQLite: the lease (2 s) lapses, then the next poll claims the job.
  const all: Backend[] = [{ name: 'sqlite', resumeMillis: 60_000, setUp: async () => ({ name: 'sqlite', databaseUrl: null, env: {} }), tearDown: async () => undefined }]
  const admin = process.env.RETAKE_TEST_DATABASE_URL
  if (admin) {
    const database = `retake_crash_${process.pid}_${randomBytes(4).toString('hex')}`
    const query = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      try {
        await client.query(sql)
      } finally {
        await client.end()
      }
    }
    all.push({
      name: 'postgres',
      // pg-boss retries a lapsed lease (3 s) at its next maintenance pass (every half lease), then after its retry delay.
      resumeMillis: 120_000,
      async setUp() {
        await query(`CREATE DATABASE ${database}`)
        const url = new URL(admin)
        url.pathname = `/${database}`
        return { name: 'postgres', databaseUrl: url.toString(), env: { RETAKE_DATABASE_URL: url.toString() } }
      },
      tearDown: () => query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined),
    })
  }
  const only = process.env.RETAKE_TEST_BACKENDS?.split(',')
  return only ? all.filter((store) => only.includes(store.name)) : all
}

for (const backend of stores()) describe(`crash and restart of a real \`retake serve\` (${backend.name})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'retake-crash-'))
  const servers: ServeProcess[] = []
  let store: Store
  before(async () => {
    store = await backend.setUp()
  })
  after(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL')
      await server.exited
      await server.dispatcher.close().catch(() => undefined)
    }
    rmSync(dataDir, { recursive: true, force: true })
    await backend.tearDown()
  })

  it('SIGKILL mid-processing: after a restart every ticket ends, every photo is wholly old or new, nothing is orphaned', { timeout: 60_000 + backend.resumeMillis }, async (t) => {
    const started = Date.now()
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`

    // Pictures: small old ones, large noisy new ones (made while the CLI sets up the account).
    const images = Promise.all([
      Promise.all(Array.from({ length: PHOTOS }, (_, i) => makeJpeg({ width: 800, height: 600, seed: i + 1 }))),
      Promise.all(Array.from({ length: PHOTOS }, (_, i) => makeLargeNoisyJpeg(100 + i))),
    ])
    await cli(store, ['user', 'create', 'alice', '--pro', '--data', dataDir])
    const app = await cli(store, ['app', 'create', 'crash', '--owner', 'alice', '--data', dataDir])
    const token = await cli(store, ['token', 'create', '--data', dataDir, '--user', 'alice', '--api-key', app.api_key!, '--perms', 'write'])
    const consumer = { key: app.api_key!, secret: app.secret! }
    const write = { key: token.oauth_token!, secret: token.oauth_token_secret! }

    const [olds, news] = await images
    t.diagnostic(`images ready at ${elapsed()} (new originals ${news.map((b) => (b.length / 1e6).toFixed(1)).join(', ')} MB)`)

    let server = await serve(store, dataDir)
    servers.push(server)
    const call = async (kind: 'upload' | 'replace', data: Buffer, fields: Record<string, string>) => {
      const response = await photoCall({ url: `${server.url}/services/${kind}/`, fields, file: { data }, consumer, token: write, dispatcher: server.dispatcher })
      const parsed = parsePhotoResponse(response.body)
      assert.equal(parsed.errCode, undefined, `${kind} refused: ${response.body}`)
      return parsed
    }

    const photoIds: string[] = []
    for (const [i, old] of olds.entries()) photoIds.push((await call('upload', old, { title: `photo ${i}` })).id!)
    t.diagnostic(`${PHOTOS} photos uploaded at ${elapsed()}`)
    const tickets: string[] = []
    for (const [i, id] of photoIds.entries()) tickets.push((await call('replace', news[i]!, { async: '1', photo_id: id })).ticketId!)
    t.diagnostic(`${PHOTOS} uploads and async replaces accepted at ${elapsed()}`)

    // Kill as soon as some photo has a second generation folder: a new revision's blobs are being written.
    const blobRoot = join(dataDir, 'blobs')
    // The folders of the uploaded photos exist already: watching them sees the next generation appear.
    const photoFolders = photoIds.map((id) => join(blobRoot, 'photos', id))
    await waitForFsChange(photoFolders, () => photosBeingWritten(blobRoot, photoIds).length > 0, { what: 'a replace to start writing its blobs', timeoutMs: 30_000 })
    server.child.kill('SIGKILL')
    assert.equal((await server.exited).signal, 'SIGKILL')
    await server.dispatcher.close()
    t.diagnostic(`SIGKILL at ${elapsed()}`)

    // What the crash left: unfinished tickets, and blobs no photo claims (only intents keep track of them).
    {
      const services = await createServices(loadConfig({ overrides: { dataDir, databaseUrl: store.databaseUrl }, env: {} }))
      try {
        const waiting = [...(await services.tickets.byIds(tickets)).values()].filter((ticket) => ticket.status === TICKET_WAITING).length
        const claimed = new Set<string>()
        for (const id of photoIds) {
          const photo = (await services.photos.byId(id))!
          for (const file of await services.photos.files(id, photo.revision)) claimed.add(file.blobKey)
        }
        const unclaimed = filesUnder(blobRoot).filter((path) => !claimed.has(path))
        const temps = unclaimed.filter((path) => path.split('/').pop()!.startsWith('.')).length
        t.diagnostic(
          `after the kill: ${waiting} ticket(s) waiting, ${await services.blobGarbage.count()} blob intent(s), ` +
            `${unclaimed.length} unclaimed file(s) under blobs/ (${temps} temp), ${filesUnder(services.stagingDir).length} staged file(s)`,
        )
        assert.ok(waiting >= 1, 'the kill came after every job had finished: the test exercised nothing')
      } finally {
        await services.close()
      }
    }

    server = await serve(store, dataDir)
    servers.push(server)
    t.diagnostic(`restarted at ${elapsed()}`)
    const states = await waitForTickets(server, { apiKey: consumer.key }, tickets, backend.resumeMillis)
    t.diagnostic(`every ticket finished at ${elapsed()}: ${states.map((s) => s.complete).join(', ')}`)
    for (const state of states) {
      assert.ok(state.complete === 1 || state.complete === 2, `ticket ${state.id}: ${JSON.stringify(state)}`)
      if (state.complete === 2) assert.ok(state.errorcode, `failed ticket ${state.id} names its cause`)
    }

    server.child.kill('SIGTERM')
    const exit = await server.exited
    assert.deepEqual(exit, { code: 0, signal: null }, `SIGTERM drains and exits 0; stderr: ${server.stderr()}`)

    const services = await createServices(loadConfig({ overrides: { dataDir, databaseUrl: store.databaseUrl }, env: {} }))
    try {
      const rows = await services.tickets.byIds(tickets)
      const claimed = new Set<string>()
      for (const [i, id] of photoIds.entries()) {
        const ticket = rows.get(tickets[i]!)
        assert.ok(ticket, `ticket ${tickets[i]} kept`)
        assert.ok(ticket.status === TICKET_COMPLETE || ticket.status === TICKET_FAILED, `ticket ${ticket.id} status ${ticket.status}`)
        if (ticket.status === TICKET_FAILED) assert.ok(ticket.errorCode !== null && ticket.errorMessage, `failed ticket ${ticket.id} records its error`)

        const photo = await services.photos.byId(id)
        assert.ok(photo, `photo ${id} exists`)
        const files = await services.photos.files(id, photo.revision)
        const folders = new Set(files.map((file) => file.blobKey.split('/').slice(0, 3).join('/')))
        assert.equal(folders.size, 1, `photo ${id}: every file from one generation (${[...folders].join(', ')})`)
        const original = files.find((file) => file.suffix === 'o')
        assert.ok(original, `photo ${id} has its original`)
        const originalBytes = readFileSync(join(blobRoot, ...original.blobKey.split('/')))
        const replaced = originalBytes.equals(news[i]!)
        assert.ok(replaced || originalBytes.equals(olds[i]!), `photo ${id}: the original is byte for byte the old or the new file`)
        assert.equal(replaced, ticket.status === TICKET_COMPLETE, `photo ${id}: replaced exactly when its ticket completed`)
        // Fingerprints of the two candidates once (decoding a 4000×3000 original per size is slow).
        // (Fingerprints are scale-free, so the large picture is shrunk first.)
        const large = await sharp(news[i]!).resize({ width: 800 }).jpeg().toBuffer()
        const [expected, other] = replaced ? [large, olds[i]!] : [olds[i]!, large]
        const prints = {
          plain: [await fingerprint(expected), await fingerprint(other)] as const,
          square: [await fingerprint(expected, { square: true }), await fingerprint(other, { square: true })] as const,
        }
        for (const file of files) {
          claimed.add(file.blobKey)
          if (file.suffix === 'o') continue
          const bytes = readFileSync(join(blobRoot, ...file.blobKey.split('/')))
          const [want, not] = file.suffix === 's' || file.suffix === 'q' ? prints.square : prints.plain
          await assertLooksLike(bytes, want, not, { message: `photo ${id} size ${file.suffix || 'medium'} (${replaced ? 'new' : 'old'})` })
        }
      }
      assert.deepEqual(filesUnder(blobRoot).filter((path) => !claimed.has(path)), [], 'no file under blobs/ that no photo claims')
      assert.equal(await services.blobGarbage.count(), 0, 'no blob intent left pending')
      assert.deepEqual(filesUnder(services.stagingDir), [], 'the staging folder is empty')
    } finally {
      await services.close()
    }
    t.diagnostic(`checked at ${elapsed()}`)
  })
})
