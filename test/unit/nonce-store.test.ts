import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryNonceStore } from '../../src/auth/nonce-store.js'

function clock(start = 1_700_000_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

test('a nonce is accepted once per consumer, token and timestamp', async () => {
  const c = clock()
  const store = new MemoryNonceStore({ windowSeconds: 300, now: c.now })
  const use = { consumerKey: 'ck', token: 't1', timestamp: 1_700_000_000, nonce: 'n+/=' }
  assert.equal(await store.checkAndRemember(use), true)
  assert.equal(await store.checkAndRemember({ ...use }), false)
  assert.equal(await store.checkAndRemember({ ...use, nonce: 'n+/=x' }), true)
  assert.equal(await store.checkAndRemember({ ...use, timestamp: 1_700_000_001 }), true)
  assert.equal(await store.checkAndRemember({ ...use, consumerKey: 'ck2' }), true)
})

test('Perl Flickr::API: request-token nonce and timestamp reused on access-token with a token', async () => {
  const store = new MemoryNonceStore({ windowSeconds: 300 })
  const timestamp = Math.floor(Date.now() / 1000)
  const nonce = 'd41d8cd98f00b204e9800998ecf8427e'
  assert.equal(await store.checkAndRemember({ consumerKey: 'ck', timestamp, nonce }), true)
  assert.equal(await store.checkAndRemember({ consumerKey: 'ck', token: '72157-request', timestamp, nonce }), true)
  assert.equal(await store.checkAndRemember({ consumerKey: 'ck', token: '72157-request', timestamp, nonce }), false)
  assert.equal(await store.checkAndRemember({ consumerKey: 'ck', token: undefined, timestamp, nonce }), false)
})

test('separators inside values cannot make two uses collide', async () => {
  const store = new MemoryNonceStore({ windowSeconds: 300 })
  const timestamp = Math.floor(Date.now() / 1000)
  assert.equal(await store.checkAndRemember({ consumerKey: 'a|b', token: 'c', timestamp, nonce: 'n' }), true)
  assert.equal(await store.checkAndRemember({ consumerKey: 'a', token: 'b|c', timestamp, nonce: 'n' }), true)
})

test('entries expire with the window and are pruned', async () => {
  const c = clock()
  const store = new MemoryNonceStore({ windowSeconds: 60, now: c.now })
  const timestamp = c.now() / 1000
  const use = { consumerKey: 'ck', timestamp, nonce: 'n' }
  assert.equal(await store.checkAndRemember(use), true)
  for (let i = 0; i < 100; i++) await store.checkAndRemember({ ...use, nonce: `x${i}` })
  c.advance(59_000)
  assert.equal(await store.checkAndRemember(use), false, 'still inside the window')
  c.advance(2_000)
  assert.equal(store.size, 101)
  // Past the window the timestamp check rejects this use anyway; the store may forget it.
  assert.equal(await store.checkAndRemember({ consumerKey: 'ck', timestamp: c.now() / 1000, nonce: 'new' }), true)
  assert.equal(store.size, 1, 'expired entries pruned on insert')
})

test('a timestamp in the future is kept until it leaves the window', async () => {
  const c = clock()
  const store = new MemoryNonceStore({ windowSeconds: 60, now: c.now })
  const use = { consumerKey: 'ck', timestamp: c.now() / 1000 + 50, nonce: 'n' }
  assert.equal(await store.checkAndRemember(use), true)
  c.advance(100_000)
  assert.equal(await store.checkAndRemember(use), false)
  c.advance(11_000)
  assert.equal(await store.checkAndRemember(use), true)
})

test('rejects a non-finite timestamp rather than storing an entry that never matches', async () => {
  const store = new MemoryNonceStore({ windowSeconds: 60 })
  await assert.rejects(store.checkAndRemember({ consumerKey: 'ck', timestamp: Number.NaN, nonce: 'n' }), RangeError)
  assert.throws(() => new MemoryNonceStore({ windowSeconds: 0 }), RangeError)
})
