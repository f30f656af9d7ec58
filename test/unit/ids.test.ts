import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  newApiKey,
  newConsumerSecret,
  newFrob,
  newNsid,
  newOauthToken,
  newPhotoId,
  newSecret,
  newTicketId,
  newTokenSecret,
  newVerifier,
} from '../../src/auth/ids.js'

// Shapes from the reference §0.
const shapes: Array<[string, () => string, RegExp]> = [
  ['oauth token', newOauthToken, /^72157\d{12}-[0-9a-f]{16}$/],
  ['token secret', newTokenSecret, /^[0-9a-f]{16}$/],
  ['photo secret', newSecret, /^[0-9a-f]{10}$/],
  ['api key', newApiKey, /^[0-9a-f]{32}$/],
  ['consumer secret', newConsumerSecret, /^[0-9a-f]{16}$/],
  ['verifier', newVerifier, /^[0-9a-f]{32}$/],
  ['frob', newFrob, /^72157\d{12}-[0-9a-f]{16}$/],
  ['nsid', newNsid, /^[1-9]\d{10}@N01$/],
  ['photo id', newPhotoId, /^[1-9]\d{10}$/],
  ['ticket id', newTicketId, /^[1-9]\d{8}-72157\d{12}$/],
]

for (const [name, make, shape] of shapes) {
  test(`${name} has Flickr's shape and does not repeat`, () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const id = make()
      assert.match(id, shape)
      seen.add(id)
    }
    assert.equal(seen.size, 2000)
  })
}

test('ticket id prefix fits a 32-bit C int (flickcurl atoi)', () => {
  for (let i = 0; i < 1000; i++) assert.ok(Number(newTicketId().split('-')[0]) < 2 ** 31)
})

test('digits are spread over 0-9 at every position', () => {
  const counts = Array.from({ length: 11 }, () => new Array<number>(10).fill(0))
  for (let i = 0; i < 5000; i++) {
    const id = newPhotoId()
    for (let p = 0; p < 11; p++) counts[p]![Number(id[p])]! += 1
  }
  assert.equal(counts[0]![0], 0)
  for (let p = 1; p < 11; p++) for (const c of counts[p]!) assert.ok(c > 350 && c < 650, `position ${p}: ${counts[p]}`)
})
