import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { link, lstat, mkdir, open, opendir, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises'
import type { BigIntStats } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { assertValidBlobKey, assertValidKeyPrefix, assertValidRange, BlobExistsError, BlobNotFoundError, InvalidBlobKeyError } from './blob-store.js'
import type { BlobKey, BlobStore, ByteRange, StoredBlob } from './blob-store.js'
import { contentTypeOfKey } from './content-types.js'

// Blobs as plain files under one root: `<root>/<key>`. Writes go to a hidden temp file in the target
// directory, are fsynced and linked into place, so a crash never leaves a partial blob under a key.

const CHUNK = 1024 * 1024 // 1 MiB reads: far fewer syscalls than the 64 KiB default for photo-sized files
// link() failures that mean "no hard links here" rather than a real problem: copy instead.
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'])

/**
 * Filesystem BlobStore. Blobs are published with link(), which, unlike rename, never replaces an
 * existing name: that is how keys stay immutable. The content type comes from the key's extension.
 */
export class FsBlobStore implements BlobStore {
  readonly root: string
  readonly #rootPrefix: string

  constructor(root: string) {
    this.root = resolve(root)
    this.#rootPrefix = this.root.endsWith(sep) ? this.root : this.root + sep
  }

  async put(key: BlobKey, body: Readable | Buffer): Promise<StoredBlob> {
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body
    try {
      const target = this.#pathOf(key)
      return await this.#writeAtomically(key, target, (handle) =>
        pipeline(source, handle.createWriteStream({ flush: true, highWaterMark: CHUNK })),
      )
    } finally {
      // A body we never got to read (bad key, mkdir failed) must not keep its request hanging.
      if (!source.readableEnded) source.destroy()
    }
  }

  /** Hard-links the file in when it is on this filesystem (sharing its inode), else copies it. */
  async putFile(key: BlobKey, path: string): Promise<StoredBlob> {
    const target = this.#pathOf(key)
    // The link only makes a name; the bytes must be durable first. Staged files are private (0600)
    // while unverified; as a blob the inode gets the mode every blob has.
    const source = await open(path, 'r')
    try {
      await source.chmod(0o644)
      await source.sync()
    } finally {
      await source.close()
    }
    try {
      await withFolder(target, () => link(path, target))
    } catch (error) {
      if (code(error) === 'EEXIST') throw new BlobExistsError(key)
      if (NO_LINK.has(code(error) ?? '')) return this.#copyIn(key, target, path)
      throw error
    }
    await syncDirectory(dirname(target))
    return this.#describe(key, await stat(target, { bigint: true }))
  }

  async get(key: BlobKey, range?: ByteRange): Promise<Readable> {
    const path = this.#pathOf(key)
    if (range) assertValidRange(range)
    let handle: FileHandle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key)
      throw error
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close()
      throw new BlobNotFoundError(key)
    }
    return handle.createReadStream({ start: range?.start, end: range?.end, highWaterMark: CHUNK })
  }

  async stat(key: BlobKey): Promise<StoredBlob | undefined> {
    const path = this.#pathOf(key)
    try {
      const stats = await stat(path, { bigint: true })
      return stats.isFile() ? this.#describe(key, stats) : undefined
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }

  async delete(key: BlobKey): Promise<void> {
    const path = this.#pathOf(key)
    try {
      await unlink(path)
    } catch (error) {
      // EISDIR/EPERM: the key names a folder of other keys, so no blob exists under it.
      if (code(error) === 'EISDIR' || code(error) === 'EPERM') return
      if (!isMissing(error)) throw error
      // Never stored, or its write was cut short: a process killed mid-put leaves its temp file behind.
      if (!(await removeTempsOf(path))) return
    }
    // Prune folders left empty (a deleted photo's), stopping at the first one still in use.
    for (let dir = dirname(path); dir.startsWith(this.#rootPrefix); dir = dirname(dir)) {
      try {
        await rmdir(dir)
      } catch {
        break
      }
    }
  }

  async *list(prefix: string): AsyncIterable<BlobKey> {
    assertValidKeyPrefix(prefix)
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1)
    yield* this.#walk(join(this.root, ...folder.split('/')), folder, prefix)
  }

  async *#walk(dirPath: string, keyPrefix: string, prefix: string): AsyncIterable<BlobKey> {
    let dir
    try {
      dir = await opendir(dirPath)
    } catch (error) {
      if (isMissing(error)) return
      throw error
    }
    for await (const entry of dir) {
      if (entry.name.startsWith('.')) continue // temp files; keys never start a segment with a dot
      const key = keyPrefix + entry.name
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
          yield* this.#walk(join(dirPath, entry.name), `${key}/`, prefix)
        }
      } else if (entry.isFile() && key.startsWith(prefix)) {
        yield key
      }
    }
  }

  async close(): Promise<void> {}

  #pathOf(key: BlobKey): string {
    assertValidBlobKey(key)
    const path = join(this.root, ...key.split('/'))
    // Belt and braces after the key check (tus's path-inside check).
    if (!path.startsWith(this.#rootPrefix)) throw new InvalidBlobKeyError(key, 'escapes the store root')
    return path
  }

  /**
   * Temp file in the target folder, fsync, then link it to the key's name (atomic, never replaces).
   * `fill` must write the bytes and close the handle with a flush (a `flush: true` write stream).
   */
  async #writeAtomically(key: BlobKey, target: string, fill: (handle: FileHandle) => Promise<void>): Promise<StoredBlob> {
    const dir = dirname(target)
    const temp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`)
    const handle = await openFresh(temp)
    try {
      await fill(handle)
      const stats = await stat(temp, { bigint: true })
      await publish(key, temp, target)
      await syncDirectory(dir)
      return this.#describe(key, stats)
    } catch (error) {
      await handle.close().catch(() => {})
      throw error
    } finally {
      await unlink(temp).catch(() => {})
    }
  }

  #copyIn(key: BlobKey, target: string, path: string): Promise<StoredBlob> {
    return this.#writeAtomically(key, target, (handle) =>
      pipeline(createReadStream(path, { highWaterMark: CHUNK }), handle.createWriteStream({ flush: true, highWaterMark: CHUNK })),
    )
  }

  #describe(key: BlobKey, stats: BigIntStats): StoredBlob {
    return {
      key,
      size: Number(stats.size),
      contentType: contentTypeOfKey(key),
      etag: etagOf(key, stats),
      modifiedAt: new Date(Number(stats.mtimeMs)),
    }
  }
}

/**
 * Keys are immutable, so the key nearly identifies the bytes; inode and nanosecond mtime tell apart
 * a key deleted and written again, since every write makes a new inode. This gives a strong etag on every
 * stat without re-reading the file or keeping a hash beside it.
 */
function etagOf(key: BlobKey, stats: BigIntStats): string {
  const identity = `${key}\0${stats.size}\0${stats.ino}\0${stats.mtimeNs}`
  return `"${createHash('sha1').update(identity).digest('hex')}"`
}

/** Deletes the temp files of writes to `path` (keys are written once, so any left is abandoned). */
async function removeTempsOf(path: string): Promise<boolean> {
  const dir = dirname(path)
  const prefix = `.${basename(path)}.`
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return false
  }
  const temps = names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
  await Promise.all(temps.map((name) => unlink(join(dir, name)).catch(() => undefined)))
  return temps.length > 0
}

function openFresh(path: string): Promise<FileHandle> {
  return withFolder(path, () => open(path, 'wx', 0o644))
}

/** Runs `create` (which makes `path`) after making its folder, again if a concurrent delete pruned it. */
async function withFolder<T>(path: string, create: () => Promise<T>): Promise<T> {
  // The mkdir itself can meet the race too: a parent pruned between two of its steps is ENOENT.
  for (let attempt = 1; ; attempt++) {
    try {
      await mkdir(dirname(path), { recursive: true })
      return await create()
    } catch (error) {
      if (code(error) !== 'ENOENT' || attempt === 5) throw error
    }
  }
}

/** Gives the finished temp file the key's name without ever replacing a blob already there. */
async function publish(key: BlobKey, temp: string, target: string): Promise<void> {
  try {
    await link(temp, target)
  } catch (error) {
    if (code(error) === 'EEXIST') throw new BlobExistsError(key)
    if (!NO_LINK.has(code(error) ?? '')) throw error
    // No hard links on this filesystem: check, then rename. Racy, but keys are never reused.
    if (await lstat(target).then(() => true, (statError: unknown) => !isMissing(statError))) throw new BlobExistsError(key)
    await rename(temp, target)
  }
}

/** Makes a rename durable; not every platform can fsync a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // best effort
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

function isMissing(error: unknown): boolean {
  return code(error) === 'ENOENT' || code(error) === 'ENOTDIR'
}
