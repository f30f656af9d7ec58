// gallery-dl (Debian's, unmodified: its built-in API key and https://api.flickr.com) downloads a
// photostream of more than one page and an album from `retake serve --drop-in` in a private namespace.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { prepareDropInData, type DropInFixture } from '../helpers/drop-in-fixtures.js'
import { namespaceUnavailable, programMissing, runInDropInNamespace } from '../helpers/drop-in-namespace.js'

const GALLERY_DL_SOURCE = '/usr/lib/python3/dist-packages/gallery_dl/extractor/flickr.py'

/** gallery-dl's own key and secret, read from the installed extractor (as shipped, never edited). */
function builtInCredentials(): { apiKey: string; secret: string } {
  const source = readFileSync(GALLERY_DL_SOURCE, 'utf8')
  const apiKey = /API_KEY = "([0-9a-f]+)"/.exec(source)?.[1]
  const secret = /API_SECRET = "([0-9a-f]+)"/.exec(source)?.[1]
  assert.ok(apiKey && secret, `no API_KEY/API_SECRET in ${GALLERY_DL_SOURCE}`)
  return { apiKey, secret }
}

// gallery-dl asks for Flickr's default 100 a page and has no option to change it: 105 photos make two.
const PHOTOS = 105
const ALBUM = 4

const skip = namespaceUnavailable() ?? programMissing('gallery-dl', 'gallery-dl')

describe('gallery-dl against retake serve --drop-in', { skip, timeout: 300_000 }, () => {
  let fixture: DropInFixture
  before(async () => {
    fixture = await prepareDropInData({ app: { name: 'gallery-dl', ...builtInCredentials() }, perms: 'read', photoCount: PHOTOS, albumSize: ALBUM })
  })
  after(() => rmSync(fixture.dataDir, { recursive: true, force: true }))

  it('downloads the two-page photostream and an album, every original byte for byte', async () => {
    const out = join(fixture.dataDir, 'gallery-dl-out')
    // The token makes the calls the owner's (url_o is the owner's to see); key and secret stay built in.
    const config = { extractor: { flickr: { 'access-token': fixture.token.token, 'access-token-secret': fixture.token.secret } } }
    const configFile = join(fixture.dataDir, 'gallery-dl.json')
    writeFileSync(configFile, JSON.stringify(config))
    const gdl = `gallery-dl --config-ignore -c "${configFile}" -f '{id}.{extension}'`
    const script = `${gdl} -D "${out}/stream" "https://www.flickr.com/photos/${fixture.nsid}/" && ${gdl} -D "${out}/album" "https://www.flickr.com/photos/${fixture.nsid}/albums/${fixture.albumId}"`
    const run = await runInDropInNamespace(fixture.dataDir, script)
    assert.equal(run.code, 0, `gallery-dl failed:\n${run.stdout}\n${run.stderr}\nserver log:\n${run.serverLog}`)

    assertDownloaded(join(out, 'stream'), [...fixture.photos.keys()])
    assertDownloaded(join(out, 'album'), fixture.albumPhotoIds)
    // Both pages were asked for: the second page is what makes a photostream of 105 complete.
    assert.match(run.serverLog, /"url":"\/services\/rest\/\?[^"]*page=2/, 'people.getPhotos page 2 was requested')
  })

  function assertDownloaded(dir: string, ids: string[]) {
    const files = readdirSync(dir).sort()
    assert.deepEqual(files, ids.map((id) => `${id}.jpg`).sort(), `files in ${dir}`)
    for (const id of ids) assert.ok(readFileSync(join(dir, `${id}.jpg`)).equals(fixture.photos.get(id)!), `${id}.jpg is the uploaded original`)
  }
})
