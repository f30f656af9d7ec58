// The unknown-method counts on each metadata backend: one atomic upsert per call, so concurrent
// calls from several programs lose no count; read back most called first.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { UnknownMethodRepository } from '../../src/db/unknown-method-repository.js'
import { testBackends } from '../helpers/backends.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

for (const backend of testBackends()) {
  describe(`unknown-method counts (${backend.name})`, () => {
    let server: TestServer
    let counts: UnknownMethodRepository
    before(async () => {
      server = await startTestServer({ backend })
      counts = new UnknownMethodRepository(server.running.services.database.db)
    })
    after(() => server.close())

    it('counts per method and app, concurrently, with first and last seen', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => counts.count('flickr.galleries.getList', 'Shotwell', 1000 + i)))
      await counts.count('flickr.galleries.getList', 'digiKam', 2000)
      await counts.count('flickr.photos.comments.getList', 'Shotwell', 3000)
      await counts.count('flickr.photos.comments.getList', 'Shotwell', 3005)
      const rows = await counts.all()
      assert.deepEqual(
        rows.map(({ method, appName, calls }) => [method, appName, calls]),
        [
          ['flickr.galleries.getList', 'Shotwell', 12],
          ['flickr.photos.comments.getList', 'Shotwell', 2],
          ['flickr.galleries.getList', 'digiKam', 1],
        ],
      )
      assert.deepEqual([rows[1]!.firstSeen, rows[1]!.lastSeen], [3000, 3005])
    })
  })
}
