import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { apiSig, verifyApiSig } from '../../src/auth/api-sig.js'

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')

test('reference §4.3 legacy md5 vector (Flickr desktop how-to)', () => {
  const params: Array<[string, string]> = [
    ['method', 'flickr.auth.getFrob'],
    ['api_key', '9a0554259914a86fb9e7eb014e4e5d52'],
  ]
  assert.equal(apiSig('000005fab4534d05', params), '8ad70cd3888ce493c8dde4931f7d6bd0')
})

test('api_sig itself is not signed', () => {
  const params: Array<[string, string]> = [
    ['method', 'flickr.auth.getFrob'],
    ['api_sig', 'whatever'],
    ['api_key', '9a0554259914a86fb9e7eb014e4e5d52'],
  ]
  assert.equal(apiSig('000005fab4534d05', params), '8ad70cd3888ce493c8dde4931f7d6bd0')
})

test('sorted by name in byte order, duplicates by value, UTF-8', () => {
  const params: Array<[string, string]> = [
    ['b', '2'],
    ['a', 'z'],
    ['B', '1'],
    ['a', 'é'],
    ['a', 'y'],
    ['title', 'Été 😀'],
  ]
  assert.equal(apiSig('s', params), md5('sB1ayazaéb2titleÉté 😀'))
})

test('byte order, not UTF-16 order, above U+FFFF', () => {
  // U+FF5E (EF BD 9E) < U+1F600 (F0 9F 98 80) in UTF-8, but not in UTF-16 code units.
  const params: Array<[string, string]> = [['\u{1F600}', '1'], ['\uFF5E', '2']]
  assert.equal(apiSig('s', params), md5('s\uFF5E2\u{1F600}1'))
})

test('a text field named photo is signed like any other', () => {
  assert.equal(apiSig('s', [['photo', '/tmp/a.jpg']]), md5('sphoto/tmp/a.jpg'))
})

test('verifyApiSig', () => {
  const params: Array<[string, string]> = [
    ['method', 'flickr.auth.getFrob'],
    ['api_key', '9a0554259914a86fb9e7eb014e4e5d52'],
  ]
  assert.equal(verifyApiSig('000005fab4534d05', params, '8ad70cd3888ce493c8dde4931f7d6bd0'), true)
  assert.equal(verifyApiSig('000005fab4534d05', params, '8AD70CD3888CE493C8DDE4931F7D6BD0'), true)
  assert.equal(verifyApiSig('000005fab4534d05', params, '8ad70cd3888ce493c8dde4931f7d6bd1'), false)
  assert.equal(verifyApiSig('000005fab4534d05', params, '8ad70cd3'), false)
  assert.equal(verifyApiSig('000005fab4534d05', params, ''), false)
  assert.equal(verifyApiSig('other', params, '8ad70cd3888ce493c8dde4931f7d6bd0'), false)
})
