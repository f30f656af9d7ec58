import { Readable } from 'node:stream'
import pg from 'pg'
import type { Account } from '../../src/db/account-repository.js'
import type { PhotoRow } from '../../src/db/photo-repository.js'
import { stageUpload } from '../../src/domain/photos/staged-upload.js'
import type { Services } from '../../src/services.js'

// What the in-process list benchmarks (albums, search) share: one real upload to copy rows from, and
// dropping the PostgreSQL schemas they ran in.

/** One public photo through the real PhotoService (sync), returned as its row. */
export async function uploadOne(services: Services, account: Account, jpeg: Buffer): Promise<PhotoRow> {
  const staged = await stageUpload(Readable.from([jpeg]), { dir: services.stagingDir, maxBytes: 10 << 20 })
  const meta = { title: 'Bench', description: '', tags: '', isPublic: true, isFriend: false, isFamily: false, safetyLevel: 1, contentType: 1, hidden: 0 }
  const outcome = await services.photoService.upload(account, staged, meta, { async: false })
  if (outcome.kind !== 'photo') throw new Error('sync upload expected')
  return (await services.photos.byId(outcome.photoId))!
}

/** Drops the app's schema and pg-boss's beside it. */
export async function dropBenchSchemas(databaseUrl: string, pgSchema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`)
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}_boss" CASCADE`)
  await client.end()
}
