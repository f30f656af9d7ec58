import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { NonceStore } from '../../src/auth/nonce-store.js'

/** A fresh store on a movable millisecond clock, and how to release it. */
export interface NonceStoreSubject {
  store: NonceStore
  /** A second store on the same backing state (another node), or undefined when the store is per-process. */
  peer?: NonceStore
  cleanup(): Promise<void>
}

export type OpenNonceStore = (options: { windowSeconds: number; now: () => number }) => Promise<NonceStoreSubject>

/** The behaviour every NonceStore passes (memory, database); see src/auth/nonce-store.ts. */
export function runNonceStoreContract(name: string, open: OpenNonceStore): void {
  describe(`${name} (NonceStore contract)`, () => {
    const clockAt = (start = 1_700_000_000_000) => {
      let now = start
      return { now: () => now, advance: (ms: number) => (now += ms) }
    }

    test('a use is accepted once per consumer, token, timestamp and nonce', async () => {
      const c = clockAt()
      const { store, cleanup } = await open({ windowSeconds: 300, now: c.now })
      try {
        const use = { consumerKey: 'ck', token: 't1', timestamp: c.now() / 1000, nonce: 'n+/=' }
        assert.equal(await store.checkAndRemember(use), true)
        assert.equal(await store.checkAndRemember({ ...use }), false)
        assert.equal(await store.checkAndRemember({ ...use, nonce: 'n+/=x' }), true)
        assert.equal(await store.checkAndRemember({ ...use, timestamp: use.timestamp + 1 }), true)
        assert.equal(await store.checkAndRemember({ ...use, token: undefined }), true)
        assert.equal(await store.checkAndRemember({ ...use, token: undefined }), false)
      } finally {
        await cleanup()
      }
    })

    test('separators inside values cannot make two uses collide', async () => {
      const c = clockAt()
      const { store, cleanup } = await open({ windowSeconds: 300, now: c.now })
      try {
        const timestamp = c.now() / 1000
        assert.equal(await store.checkAndRemember({ consumerKey: 'a|b', token: 'c', timestamp, nonce: 'n' }), true)
        assert.equal(await store.checkAndRemember({ consumerKey: 'a', token: 'b|c', timestamp, nonce: 'n' }), true)
      } finally {
        await cleanup()
      }
    })

    test('a use is remembered for the window, then may be taken again', async () => {
      const c = clockAt()
      const { store, cleanup } = await open({ windowSeconds: 60, now: c.now })
      try {
        const use = { consumerKey: 'ck', timestamp: c.now() / 1000, nonce: 'n' }
        assert.equal(await store.checkAndRemember(use), true)
        c.advance(59_000)
        assert.equal(await store.checkAndRemember(use), false, 'inside the window')
        c.advance(2_000)
        assert.equal(await store.checkAndRemember(use), true, 'expired: the verifier refuses the timestamp anyway')
      } finally {
        await cleanup()
      }
    })

    test('concurrent uses of one nonce: exactly one wins', async () => {
      const c = clockAt()
      const { store, peer, cleanup } = await open({ windowSeconds: 300, now: c.now })
      try {
        const use = { consumerKey: 'ck', token: 't', timestamp: c.now() / 1000, nonce: 'race' }
        const stores = [store, peer ?? store]
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.checkAndRemember(use)))
        assert.equal(results.filter(Boolean).length, 1)
      } finally {
        await cleanup()
      }
    })

    test('a nonce used through one store is a replay through its peer (shared stores)', async (t) => {
      const c = clockAt()
      const { store, peer, cleanup } = await open({ windowSeconds: 300, now: c.now })
      try {
        if (!peer) return t.skip('per-process store')
        const use = { consumerKey: 'ck', token: 't', timestamp: c.now() / 1000, nonce: 'shared' }
        assert.equal(await store.checkAndRemember(use), true)
        assert.equal(await peer.checkAndRemember(use), false)
      } finally {
        await cleanup()
      }
    })
  })
}
