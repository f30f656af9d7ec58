// curl against `retake serve --drop-in`: the size URLs getSizes gives (live.staticflickr.com) and the
// farm66.staticflickr.com / farm66.static.flickr.com forms clients build from `farm` all serve the
// same file; an unknown method is logged once and counted for `retake report unknown-methods`.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { createMethodRegistry } from '../../src/api/index.js'
import { prepareDropInData, type DropInFixture } from '../helpers/drop-in-fixtures.js'
import { namespaceUnavailable, programMissing, runInDropInNamespace } from '../helpers/drop-in-namespace.js'
import { BIN, cleanEnv, ROOT } from '../helpers/serve-process.js'

const run = promisify(execFile)
const DRIVER = join(ROOT, 'test', 'drop-in', 'drivers', 'curl_static.sh')
const skip = namespaceUnavailable() ?? programMissing('curl', 'curl')
const app = { name: 'curl script', apiKey: randomBytes(16).toString('hex'), secret: randomBytes(8).toString('hex') }

describe('curl against retake serve --drop-in', { skip, timeout: 120_000 }, () => {
  let fixture: DropInFixture
  let lines: string[]
  let serverLog: string
  before(async () => {
    fixture = await prepareDropInData({ app, perms: 'read', photoCount: 1 })
    const photoId = [...fixture.photos.keys()][0]!
    const result = await runInDropInNamespace(fixture.dataDir, `bash "${DRIVER}"`, { API_KEY: app.apiKey, PHOTO_ID: photoId })
    assert.equal(result.code, 0, `curl script failed:\n${result.stdout}\n${result.stderr}\nserver log:\n${result.serverLog}`)
    lines = result.stdout.trim().split('\n')
    serverLog = result.serverLog
  })
  after(() => rmSync(fixture.dataDir, { recursive: true, force: true }))

  it('serves each getSizes source on live.staticflickr.com and on the farm66 hosts, identically', () => {
    const files = lines.filter((line) => line.startsWith('file ')).map((line) => line.split(' '))
    assert.ok(files.length >= 9, `three hosts for each of at least three sizes: ${lines.join('\n')}`)
    for (let at = 0; at < files.length; at += 3) {
      const [live, farm, farmStatic] = [files[at]!, files[at + 1]!, files[at + 2]!]
      assert.match(live[1]!, /^https:\/\/live\.staticflickr\.com\/\d+\/\d+_[0-9a-f]+(_[a-z])?\.jpg$/)
      for (const answer of [live, farm, farmStatic]) assert.deepEqual(answer.slice(2, 4), ['200', 'image/jpeg'], answer[1])
      assert.equal(farm[4], live[4], `${farm[1]} is the same file`)
      assert.equal(farmStatic[4], live[4], `${farmStatic[1]} is the same file`)
    }
  })

  it('flickr.reflection.getMethods on api.flickr.com lists every method served', () => {
    const listed = JSON.parse(lines.find((line) => line.startsWith('methods '))!.slice('methods '.length)) as string[]
    assert.deepEqual([...listed].sort(), createMethodRegistry().all().map((method) => method.name).sort())
  })

  it('plain HTTP on www.flickr.com redirects to https://www.flickr.com with no port', () => {
    const plain = lines.find((line) => line.startsWith('plain '))!
    assert.match(plain, /^plain 301 https:\/\/www\.flickr\.com\/photos\/\d+\/$/)
  })

  it('an unknown method answers 112, is logged once without credentials and counted', async () => {
    const unknown = lines.filter((line) => line.startsWith('unknown '))
    assert.equal(unknown.length, 2)
    for (const line of unknown) assert.match(line, /"code":112/)
    const logged = serverLog.split('\n').filter((line) => line.includes('"unknownMethod":"flickr.photos.notServedHere"'))
    assert.equal(logged.length, 1, 'one log line per method and app, however often it is called')
    assert.match(logged[0]!, /"app":"curl script"/)
    // The line names the app, not its key (request lines keep api_key: it is public, as on Flickr).
    assert.ok(!logged[0]!.includes(app.apiKey), 'no api key in the unknown-method line')
    assert.ok(!serverLog.includes(app.secret), 'no secret in any line')

    const { stdout } = await run(process.execPath, [BIN, 'report', 'unknown-methods', '--json', '--data', fixture.dataDir], { cwd: ROOT, env: cleanEnv() })
    const counts = JSON.parse(stdout) as Array<{ method: string; appName: string; calls: number }>
    assert.deepEqual(counts.map(({ method, appName, calls }) => ({ method, appName, calls })), [{ method: 'flickr.photos.notServedHere', appName: 'curl script', calls: 2 }])
  })
})
