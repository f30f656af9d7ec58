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

export interface StoredBlob {
  key: BlobKey
  size: number
  /** From the key's extension (storage/content-types.ts), the same on every backend. */
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
   * Stores `body` under `key`, atomically: readers see either nothing or all of the new bytes, never
   * a partial blob. A failed or aborted body leaves nothing behind. Keys are immutable: a put to a
   * key that holds a blob fails with BlobExistsError and keeps the stored bytes.
   */
  put(key: BlobKey, body: Readable | Buffer): Promise<StoredBlob>
  /**
   * Like put, reading a finished local file (e.g. a staged upload), which stays where it is: the
   * caller still owns and removes it. The file must not be written to afterwards (a store may link it).
   */
  putFile(key: BlobKey, path: string): Promise<StoredBlob>
  /**
   * The bytes of `key`, or of `range` in it (a range starting past the end reads nothing). Throws
   * BlobNotFoundError when the key is absent. The caller must read the stream to its end or destroy it.
   */
  get(key: BlobKey, range?: ByteRange): Promise<Readable>
  /** Metadata of `key`, or undefined when absent. */
  stat(key: BlobKey): Promise<StoredBlob | undefined>
  /** Removes `key`; removing a missing key is success, so retried cleanup jobs are idempotent. */
  delete(key: BlobKey): Promise<void>
  /** Every key starting with `prefix` (a plain string prefix, not only a folder), in no set order. */
  list(prefix: string): AsyncIterable<BlobKey>
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: BlobKey) {
    super(`Blob not found: ${key}`)
    this.name = 'BlobNotFoundError'
  }
}

export class BlobExistsError extends Error {
  constructor(readonly key: BlobKey) {
    super(`Blob already exists, and keys are never overwritten: ${key}`)
    this.name = 'BlobExistsError'
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

/** Throws InvalidBlobKeyError unless `prefix` is '' or could start a valid key (it may end mid-segment). */
export function assertValidKeyPrefix(prefix: string): void {
  if (prefix === '') return
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]|\.\./.test(prefix) || prefix.startsWith('/')) {
    throw new InvalidBlobKeyError(prefix, 'not a valid key prefix')
  }
}

/** Throws RangeError unless `range` is a valid inclusive byte range. */
export function assertValidRange({ start, end }: ByteRange): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}`)
  }
}
