// photosets.getPhotos against people.getPhotos on the same 5,000 photos, in the same run (pino's habit of
// a baseline measured alongside). Run: node --import tsx bench/albums.ts [rounds]
// RETAKE_BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL (in a throwaway schema) instead of SQLite.
//
// (a) people.getPhotos, user_id=me, 500 a page, no extras: the plain list;
// (b) photosets.getPhotos on a set holding the same 5,000 photos, 500 a page, extras=url_o,url_m,date_upload;
// (c) people.getPhotos with those same extras, to split the cost of the extras from the cost of the set.
// Each request is a signed GET (OAuth in the query, JSON) through undici with the certificate trusted,
// timed to its last byte (client and server share this process; the check of each answer runs after
// the clock stops). Pages 1..10 of each list make a round, the three lists take turns, after one warm-up round.
// Target: (b) no more than 1.5x (a) per page. Printed, never asserted.
//
// The photos are one real upload (640x480, every size rendered by sharp) whose rows are copied 4,999
// times under new ids straight through PhotoRepository: the lists read rows, never the blobs.
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { Agent, fetch } from 'undici'
import { newPhotoId } from '../src/auth/ids.js'
import { defaultConfig } from '../src/config/load.js'
import { PhotoRepository } from '../src/db/photo-repository.js'
import { createApp, createUser, issueAccessToken } from '../src/domain/accounts/account-service.js'
import { startServer } from '../src/server.js'
import { signedParams } from '../test/helpers/oauth-client.js'
import { dropBenchSchemas, uploadOne } from './lib/bench-data.js'
import { makePhotoJpeg, stats } from './lib/retake-bench-server.js'

const rounds = Number(process.argv[2] ?? 5)
const PHOTOS = 5000
const PER_PAGE = 500
const EXTRAS = 'url_o,url_m,date_upload'

const databaseUrl = process.env.RETAKE_BENCH_DATABASE_URL ?? null
const pgSchema = databaseUrl ? `bench_albums_${Date.now().toString(36)}` : undefined
const dir = mkdtempSync(join(tmpdir(), 'retake-bench-albums-'))
const server = await startServer(defaultConfig({ dataDir: join(dir, 'data'), httpsPort: 0, httpPort: null, logLevel: 'warn', databaseUrl }), { pgSchema })
const services = server.services
const dispatcher = new Agent({ connect: { ca: server.tls.cert } })

try {
  const account = await createUser(services, { username: 'bench', isPro: true, password: 'bench' })
  const app = await createApp(services, { name: 'bench', ownerUsername: 'bench' })
  const token = await issueAccessToken(services, { userNsid: account.nsid, apiKey: app.apiKey, perms: 'read', legacy: false })
  const setId = await seed(account)

  const restUrl = `${server.httpsUrl}/services/rest`
  const consumer = { key: app.apiKey, secret: app.secret }
  const oauthToken = { key: token.token, secret: token.secret! }
  const lists = {
    '(a) people.getPhotos, no extras': { method: 'flickr.people.getPhotos', user_id: 'me' },
    '(b) photosets.getPhotos, extras': { method: 'flickr.photosets.getPhotos', photoset_id: setId, extras: EXTRAS },
    '(c) people.getPhotos, same extras': { method: 'flickr.people.getPhotos', user_id: 'me', extras: EXTRAS },
  } as const
  type Label = keyof typeof lists

  /** One signed page; checks the answer so a failing list cannot look fast. */
  async function page(params: Record<string, string>, pageNumber: number): Promise<number> {
    const query = { ...params, per_page: String(PER_PAGE), page: String(pageNumber), format: 'json', nojsoncallback: '1' }
    const signed = signedParams({ method: 'GET', url: restUrl, params: query, consumer, token: oauthToken })
    const started = performance.now()
    const response = await fetch(`${restUrl}?${new URLSearchParams({ ...query, ...signed }).toString().replace(/\+/g, '%20')}`, { dispatcher })
    const text = await response.text()
    // The clock stops at the last byte: parsing runs in this same process, so it is kept out of the figure.
    const elapsed = performance.now() - started
    const body = JSON.parse(text) as { stat: string; photos?: { photo: unknown[] }; photoset?: { photo: unknown[] } }
    const count = (body.photos ?? body.photoset)?.photo.length
    if (body.stat !== 'ok' || count !== PER_PAGE) throw new Error(`${params.method} page ${pageNumber}: ${JSON.stringify(body).slice(0, 200)}`)
    return elapsed
  }

  const timings = Object.fromEntries(Object.keys(lists).map((label) => [label, [] as number[]])) as Record<Label, number[]>
  const labels = Object.keys(lists) as Label[]
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${PHOTOS} photos, ${PER_PAGE} a page, ${rounds} rounds after a warm-up`)
  for (let round = 0; round <= rounds; round++) {
    // Rotate which list goes first, so none always meets a cold or a warm cache.
    const order = labels.map((_, i) => labels[(i + round) % labels.length]!)
    for (const label of order) {
      for (let p = 1; p <= PHOTOS / PER_PAGE; p++) {
        const ms = await page(lists[label], p)
        if (round > 0) timings[label].push(ms)
      }
    }
  }
  const medians = {} as Record<Label, number>
  for (const label of labels) {
    const { median, p95, mean } = stats(timings[label])
    medians[label] = median
    console.log(`${label.padEnd(36)} median ${median.toFixed(1).padStart(6)} ms/page  p95 ${p95.toFixed(1).padStart(6)}  mean ${mean.toFixed(1).padStart(6)}  (${timings[label].length} pages)`)
  }
  const [a, b, c] = labels.map((label) => medians[label])
  console.log(`ratio b/a: ${(b! / a!).toFixed(2)}x (target <= 1.5x)`)
  console.log(`ratio b/c: ${(b! / c!).toFixed(2)}x (the set against the same extras on the plain list)`)
  console.log(`load ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
} finally {
  await dispatcher.close()
  await server.close()
  if (databaseUrl && pgSchema) await dropBenchSchemas(databaseUrl, pgSchema)
  rmSync(dir, { recursive: true, force: true })
}

/** One real upload, copied to PHOTOS rows with their file rows; all of them in one set. Returns its id. */
async function seed(account: Awaited<ReturnType<typeof createUser>>): Promise<string> {
  const original = await uploadOne(services, account, await makePhotoJpeg(640, 480))
  const files = await services.photos.files(original.id, original.revision)
  const ids = [original.id]
  await services.database.db.transaction().execute(async (tx) => {
    const photos = new PhotoRepository(tx)
    for (let i = 1; i < PHOTOS; i++) {
      const id = newPhotoId()
      ids.push(id)
      await photos.insert({ ...original, id, title: `Bench ${i}`, datePosted: original.datePosted - i }, files.map((file) => ({ ...file, photoId: id })), [])
    }
  })
  const { id } = await services.albums.create(account, { title: 'Bench set', primaryPhotoId: original.id })
  await services.albums.editPhotos(account, id, original.id, ids)
  // Freshly filled tables have no planner statistics yet (autovacuum would gather them in a while).
  if (services.database.engine === 'postgres') await sql`ANALYZE`.execute(services.database.db)
  return id
}
