// photos.search on one user's 100,000 photos: by one machine tag and by an upload-date range, against
// people.getPhotos page 1 in the same run. Run: node --import tsx bench/search.ts [rounds] [photos]
// RETAKE_BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL (in a throwaway schema) instead of SQLite.
//
// (a) people.getPhotos, user_id=me, page 1, 100 a page: the baseline;
// (b) photos.search user_id=me machine_tags=checksum:md5=<one photo's hex>: one hit out of 100,000;
// (c) photos.search user_id=me min/max_upload_date over 1,000 photos' range, page 1.
// Signed GETs (OAuth in the query, JSON) through undici, timed to the last byte, the three taking turns.
// Target: (b) under 5x (a). Printed, never asserted.
//
// Rows go in straight through Kysely in multi-row inserts (one real upload's row copied under new ids,
// each with a checksum machine tag and a plain tag): the lists read rows, never the blobs.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { Agent, fetch } from 'undici'
import { newPhotoId } from '../src/auth/ids.js'
import { defaultConfig } from '../src/config/load.js'
import { machineColumns } from '../src/domain/photos/tags.js'
import { createApp, createUser, issueAccessToken } from '../src/domain/accounts/account-service.js'
import { startServer } from '../src/server.js'
import { signedParams } from '../test/helpers/oauth-client.js'
import { dropBenchSchemas, uploadOne } from './lib/bench-data.js'
import { makePhotoJpeg, stats } from './lib/retake-bench-server.js'

const rounds = Number(process.argv[2] ?? 20)
const PHOTOS = Number(process.argv[3] ?? 100_000)
const CHUNK = 500

const databaseUrl = process.env.RETAKE_BENCH_DATABASE_URL ?? null
const pgSchema = databaseUrl ? `bench_search_${Date.now().toString(36)}` : undefined
const dir = mkdtempSync(join(tmpdir(), 'retake-bench-search-'))
const server = await startServer(defaultConfig({ dataDir: join(dir, 'data'), httpsPort: 0, httpPort: null, logLevel: 'warn', databaseUrl }), { pgSchema })
const services = server.services
const dispatcher = new Agent({ connect: { ca: server.tls.cert } })
const md5 = (i: number) => createHash('md5').update(String(i)).digest('hex')

try {
  const account = await createUser(services, { username: 'bench', isPro: true, password: 'bench' })
  const app = await createApp(services, { name: 'bench', ownerUsername: 'bench' })
  const token = await issueAccessToken(services, { userNsid: account.nsid, apiKey: app.apiKey, perms: 'read', legacy: false })
  const seeded = performance.now()
  const newest = await seed(account)
  console.log(`seeded ${PHOTOS} photos in ${((performance.now() - seeded) / 1000).toFixed(1)} s`)

  const restUrl = `${server.httpsUrl}/services/rest`
  const consumer = { key: app.apiKey, secret: app.secret }
  const oauthToken = { key: token.token, secret: token.secret! }
  const target = Math.floor(PHOTOS / 3)
  const calls = {
    '(a) people.getPhotos page 1': { params: { method: 'flickr.people.getPhotos', user_id: 'me' }, expect: 100 },
    '(b) search machine_tags (1 hit)': { params: { method: 'flickr.photos.search', user_id: 'me', machine_tags: `checksum:md5=${md5(target)}` }, expect: 1 },
    '(c) search upload-date range': { params: { method: 'flickr.photos.search', user_id: 'me', min_upload_date: String(newest - 5000), max_upload_date: String(newest - 4001) }, expect: 100 },
  } as const
  type Label = keyof typeof calls
  const labels = Object.keys(calls) as Label[]

  async function once(label: Label): Promise<number> {
    const query = { ...calls[label].params, format: 'json', nojsoncallback: '1' }
    const signed = signedParams({ method: 'GET', url: restUrl, params: query, consumer, token: oauthToken })
    const started = performance.now()
    const response = await fetch(`${restUrl}?${new URLSearchParams({ ...query, ...signed }).toString().replace(/\+/g, '%20')}`, { dispatcher })
    const text = await response.text()
    const elapsed = performance.now() - started
    const body = JSON.parse(text) as { stat: string; photos?: { photo: unknown[] } }
    if (body.stat !== 'ok' || body.photos?.photo.length !== calls[label].expect) throw new Error(`${label}: ${text.slice(0, 200)}`)
    return elapsed
  }

  const timings = Object.fromEntries(labels.map((label) => [label, [] as number[]])) as Record<Label, number[]>
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}, ${PHOTOS} photos, ${rounds} rounds after a warm-up`)
  for (let round = 0; round <= rounds; round++) {
    for (const label of labels.map((_, i) => labels[(i + round) % labels.length]!)) {
      const ms = await once(label)
      if (round > 0) timings[label].push(ms)
    }
  }
  const medians = {} as Record<Label, number>
  for (const label of labels) {
    const { median, p95, mean } = stats(timings[label])
    medians[label] = median
    console.log(`${label.padEnd(34)} median ${median.toFixed(2).padStart(7)} ms/call  p95 ${p95.toFixed(2).padStart(7)}  mean ${mean.toFixed(2).padStart(7)}`)
  }
  const [a, b, c] = labels.map((label) => medians[label]!)
  console.log(`ratio b/a: ${(b! / a!).toFixed(2)}x (target < 5x)`)
  console.log(`ratio c/a: ${(c! / a!).toFixed(2)}x`)
  console.log(`load ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
} finally {
  await dispatcher.close()
  await server.close()
  if (databaseUrl && pgSchema) await dropBenchSchemas(databaseUrl, pgSchema)
  rmSync(dir, { recursive: true, force: true })
}

/** One real upload copied to PHOTOS rows (one second apart), each with two tags. Returns the newest datePosted. */
async function seed(account: Awaited<ReturnType<typeof createUser>>): Promise<number> {
  const original = await uploadOne(services, account, await makePhotoJpeg(320, 240))
  const db = services.database.db
  await db.deleteFrom('photos').where('id', '=', original.id).execute()
  await db.deleteFrom('photoFiles').where('photoId', '=', original.id).execute()
  for (let start = 0; start < PHOTOS; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, PHOTOS - start) }, (_, k) => ({ ...original, id: newPhotoId(), title: `Bench ${start + k}`, datePosted: original.datePosted - (start + k) }))
    const tags = rows.flatMap((row, k) => [
      { photoId: row.id, position: 0, raw: `checksum:md5=${md5(start + k)}`, clean: `checksum:md5=${md5(start + k)}` },
      { photoId: row.id, position: 1, raw: `tag${(start + k) % 50}`, clean: `tag${(start + k) % 50}` },
    ])
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('photos').values(rows).execute()
      for (let t = 0; t < tags.length; t += 2000) await tx.insertInto('photoTags').values(tags.slice(t, t + 2000).map((tag) => ({ ...tag, ...machineColumns(tag.clean) }))).execute()
    })
  }
  // Fresh tables have no planner statistics yet (both engines plan the tag lookups from them).
  await sql`ANALYZE`.execute(db)
  return original.datePosted
}
