// Debian's python3-flickrapi with its own default URLs (api/up/www.flickr.com, nothing repointed):
// the OAuth dance through www.flickr.com, upload, sync replace, async replace + checkTickets, getSizes
// and the original fetched from live.staticflickr.com, all against `retake serve --drop-in`.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { prepareDropInData, type DropInFixture } from '../helpers/drop-in-fixtures.js'
import { namespaceUnavailable, runInDropInNamespace } from '../helpers/drop-in-namespace.js'
import { makeJpeg } from '../helpers/images.js'
import { PYTHON, pythonClientMissing } from '../helpers/python-client.js'
import { ROOT } from '../helpers/serve-process.js'

const DRIVER = join(ROOT, 'test', 'drop-in', 'drivers', 'flickrapi_default_urls.py')
const skip = namespaceUnavailable() ?? pythonClientMissing()

// A program's own credentials, in Flickr's shapes, registered the way `app create --api-key` does.
const app = { name: 'python flickrapi', apiKey: randomBytes(16).toString('hex'), secret: randomBytes(8).toString('hex') }

describe('python flickrapi (default URLs) against retake serve --drop-in', { skip, timeout: 180_000 }, () => {
  let fixture: DropInFixture
  before(async () => {
    fixture = await prepareDropInData({ app, perms: 'write', photoCount: 0 })
  })
  after(() => rmSync(fixture.dataDir, { recursive: true, force: true }))

  it('authorizes on www.flickr.com, uploads, replaces sync and async, serves the new original', async () => {
    const files = await Promise.all(
      [1, 2, 3].map(async (seed) => {
        const file = join(fixture.dataDir, `in-${seed}.jpg`)
        writeFileSync(file, await makeJpeg({ width: 40, height: 30, seed }))
        return file
      }),
    )
    const env = { API_KEY: app.apiKey, API_SECRET: app.secret, USERNAME: fixture.username, PASSWORD: fixture.password, FILES: files.join(',') }
    const run = await runInDropInNamespace(fixture.dataDir, `${PYTHON} "${DRIVER}"`, env)
    assert.equal(run.code, 0, `driver failed:\n${run.stdout}\n${run.stderr}\nserver log:\n${run.serverLog}`)
    const steps = Object.assign({}, ...run.stdout.trim().split('\n').map((line) => JSON.parse(line) as object)) as Record<string, unknown>

    // flickrapi's own endpoints: nothing was repointed, the hosts file did it.
    assert.deepEqual([steps.rest_url, steps.upload_url, steps.replace_url], ['https://api.flickr.com/services/rest/', 'https://up.flickr.com/services/upload/', 'https://up.flickr.com/services/replace/'])
    assert.match(String(steps.authorize_url), /^https:\/\/www\.flickr\.com\/services\/oauth\/authorize\?/)
    assert.equal(steps.login, fixture.nsid)
    assert.equal(steps.replaced, steps.uploaded)
    const tickets = steps.tickets as Array<Record<string, string>>
    assert.deepEqual(tickets.map((t) => [t.complete, t.photoid]), [['1', steps.uploaded]])
    for (const source of steps.sizes as string[]) assert.match(source, new RegExp(`^https://live\\.staticflickr\\.com/\\d+/${String(steps.uploaded)}_[0-9a-f]+(_[a-z])?\\.jpg$`))
    assert.equal(steps.original_status, 200)
    assert.equal(steps.original_is_third, true, 'the original served is the async replacement')
    // Each call reached the host flickrapi has compiled in (the request log names the Host asked for).
    const requests = run.serverLog.split('\n').filter((line) => line.includes('"incoming request"')).map((line) => JSON.parse(line) as { req: { url: string; host: string } })
    const hostOf = (path: string) => new Set(requests.filter((r) => r.req.url.startsWith(path)).map((r) => r.req.host))
    assert.deepEqual(hostOf('/services/oauth/'), new Set(['www.flickr.com']))
    assert.deepEqual(hostOf('/services/upload/'), new Set(['up.flickr.com']))
    assert.deepEqual(hostOf('/services/replace/'), new Set(['up.flickr.com']))
    assert.deepEqual(hostOf('/services/rest/'), new Set(['api.flickr.com']))
    assert.deepEqual(hostOf('/'.concat(String(steps.original).split('/')[3]!, '/')), new Set(['live.staticflickr.com']))
  })
})
