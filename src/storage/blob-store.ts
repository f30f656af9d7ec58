import type { Readable } from 'node:stream'

// The storage contract every blob backend implements; services depend on this file only
// (tus-node-server's DataStore idea, as an interface). test/contract/blob-store.contract.ts is the
// behaviour suite each implementation must pass.

/**
 * `/`-separated relative key, e.g. `photos/52311874006/a1b2c3d4e5_s.jpg`. Keys are immutable: callers
 * put a key once and never reuse it (new bytes get a new key that carries a new secret or revision),
 * so caches keyed by URL stay correct. See assertValidBlobKey for the allowed shape.
 */
export type BlobKey = string

export interface BlobMeta {
  contentType: string
}

export interface StoredBlob {
  key: BlobKey
  size: number
  contentType: string
  /** Strong HTTP entity tag, quotes included; changes whenever the bytes under the key change. */
  etag: string
  modifiedAt: Date
}

/** Inclusive byte range, like HTTP's `Range: bytes=start-end`; an end past the blob is clamped. */
export interface ByteRange {
  start: number
  end: number
}

export interface BlobStore {
  /**
   * Stores `body` under `key`, atomically: readers see either nothing (or the previous bytes) or all
   * of the new bytes, never a partial blob. A put over an existing key replaces it atomically, but
   * callers never rely on that: keys are not reused. A failed or aborted body leaves nothing behind.
   */
  put(key: BlobKey, body: Readable | Buffer, meta: BlobMeta): Promise<StoredBlob>
  /** Like put, taking a finished local file (e.g. a staged upload) that is moved in: afterwards `path` is gone. */
  putFile(key: BlobKey, path: string, meta: BlobMeta): Promise<StoredBlob>
  /** The bytes of `key`, or of `range` in it. Throws BlobNotFoundError when the key is absent. */
  get(key: BlobKey, range?: ByteRange): Promise<Readable>
  /** Metadata of `key`, or undefined when absent. */
  stat(key: BlobKey): Promise<StoredBlob | undefined>
  /** Removes `key`; removing a missing key is success, so retried cleanup jobs are idempotent. */
  delete(key: BlobKey): Promise<void>
  /** Every key starting with `prefix` (a plain string prefix, not only a folder), in no set order. */
  list(prefix: string): AsyncIterable<BlobKey>
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: BlobKey) {
    super(`Blob not found: ${key}`)
    this.name = 'BlobNotFoundError'
  }
}

export class InvalidBlobKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`Invalid blob key ${JSON.stringify(key)}: ${reason}`)
    this.name = 'InvalidBlobKeyError'
  }
}

const MAX_KEY_BYTES = 1024 // S3's limit, so a key valid here is valid on every backend

/**
 * Throws InvalidBlobKeyError unless `key` is a safe relative key: non-empty segments separated by `/`,
 * none starting with `.` (no `.`/`..`, and room for backends' hidden temp files), no `..` anywhere,
 * no backslash, NUL or other control character. Shared by all backends so keys behave alike.
 */
export function assertValidBlobKey(key: string): void {
  const fail = (reason: string) => {
    throw new InvalidBlobKeyError(key, reason)
  }
  if (typeof key !== 'string' || key === '') fail('empty')
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) fail(`longer than ${MAX_KEY_BYTES} bytes`)
  if (key.includes('\\')) fail('contains a backslash')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) fail('contains a control character')
  if (key.includes('..')) fail('contains ..')
  if (key.startsWith('/')) fail('is absolute')
  for (const segment of key.split('/')) {
    if (segment === '') fail('has an empty path segment')
    if (segment.startsWith('.')) fail('has a segment starting with a dot')
  }
}
