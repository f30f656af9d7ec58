import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createDatabase } from '../../src/db/database.js'
import * as search from '../../src/db/migrations/2026-12-02T0000_search.js'

// The search migration on a database that already holds tags: machine tags written before it get
// their parts split out (so machine_tags searches find them); down and up again round-trip.

describe('search migration', () => {
  it('splits machine tags written before it; down then up round-trips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retake-mig-'))
    const handle = await createDatabase({ databaseUrl: null, sqlitePath: join(dir, 'retake.db') })
    try {
      const db = handle.db
      await search.down(db)
      // As issue 8's schema stored them: no machine-tag columns yet.
      await db.insertInto('photoTags' as never).values([
        { photoId: '1', position: 0, raw: 'checksum:md5=AB', clean: 'checksum:md5=ab' },
        { photoId: '1', position: 1, raw: 'plain', clean: 'plain' },
      ] as never).execute()
      await search.up(db)
      const rows = await db.selectFrom('photoTags').select(['clean', 'mtNamespace', 'mtPredicate', 'mtValue']).orderBy('position').execute()
      assert.deepEqual(rows, [
        { clean: 'checksum:md5=ab', mtNamespace: 'checksum', mtPredicate: 'md5', mtValue: 'ab' },
        { clean: 'plain', mtNamespace: null, mtPredicate: null, mtValue: null },
      ])
    } finally {
      await handle.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
