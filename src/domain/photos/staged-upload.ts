import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import { mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

// An uploaded file spooled to local disk before anything else happens: multipart fields may follow
// the file and are all signed, so the signature can only be checked once the whole body is read.
// The size limit is enforced on the bytes as they arrive (tus StreamLimiter), never on Content-Length.

const WRITE_HIGH_WATER_MARK = 1024 * 1024

export type StagingFailure = 'too-large' | 'truncated' | 'io'

export class StagingError extends Error {
  constructor(
    /** too-large: over maxBytes; truncated: the client's body stopped or broke early; io: local disk. */
    readonly reason: StagingFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'StagingError'
  }
}

export interface StagedUpload {
  /** The spooled file; hand it to BlobStore.putFile or call discard. */
  readonly path: string
  readonly bytes: number
  /** Lowercase hex SHA-256 of the bytes. */
  readonly sha256: string
  /** Removes the file; idempotent, and harmless after the file was moved away. */
  discard(): Promise<void>
}

export interface StageUploadOptions {
  /** Folder for staging files; created if missing. Same filesystem as the blob root makes putFile a rename. */
  dir: string
  maxBytes: number
  /**
   * Checked after the stream ended. For @fastify/multipart pass `() => part.file.truncated`: busboy
   * sets it when its own fileSize limit cut the file short, which is why it counts as too-large.
   */
  isTruncated?: () => boolean
}

/**
 * Streams `source` into a new file under `opts.dir`, hashing and counting on the way. On any failure
 * the partial file is removed, `source` is destroyed and a StagingError says why.
 */
export async function stageUpload(source: Readable, opts: StageUploadOptions): Promise<StagedUpload> {
  const { dir, maxBytes, isTruncated } = opts
  // pipeline re-emits the first error on every stream, so remember which side failed first. Listen
  // before the first await: a source error while the folder is being made must not go uncaught.
  let origin: 'source' | 'disk' | undefined
  let sourceError: unknown
  source.on('error', (error) => {
    origin ??= 'source'
    sourceError ??= error
  })
  try {
    await mkdir(dir, { recursive: true })
  } catch (cause) {
    source.destroy()
    throw new StagingError('io', `Cannot create staging folder ${dir}`, { cause })
  }
  // busboy reports a cut-off body by emitting 'error' on the file stream, which does not mark it
  // errored: a pipeline started after that would wait for ever, so fail here instead.
  if (sourceError !== undefined || source.destroyed) {
    source.destroy()
    throw new StagingError('truncated', 'Upload ended before the file was complete', { cause: sourceError })
  }
  const path = join(dir, `upload-${randomBytes(16).toString('hex')}.part`)
  const hash = createHash('sha256')
  let bytes = 0
  const limiter = new Transform({
    // As large as the file's: with the 16 KiB default, while a disk write is in flight the limiter
    // fills at once and pauses the request (busboy, TLS socket) every 16 KiB. bench/replace.ts ingest
    // runs caught in that mode took ~1.2 s of server CPU per 150 MiB instead of ~0.7 s.
    highWaterMark: WRITE_HIGH_WATER_MARK,
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      // Fail on the chunk that crosses the limit, before it reaches the disk.
      if (bytes > maxBytes) return callback(new StagingError('too-large', `Upload is larger than ${maxBytes} bytes`))
      hash.update(chunk)
      callback(null, chunk)
    },
  })
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_HIGH_WATER_MARK })

  out.on('error', () => (origin ??= 'disk'))
  let opened = false
  out.once('open', () => (opened = true))

  try {
    await pipeline(source, limiter, out)
  } catch (error) {
    await removePartial(out, () => opened, path)
    throw classify(error, origin)
  }
  if (isTruncated?.()) {
    await removeFile(path)
    throw new StagingError('too-large', 'Upload was cut short by the multipart file size limit')
  }
  return { path, bytes, sha256: hash.digest('hex'), discard: () => removeFile(path) }
}

function classify(error: unknown, origin: 'source' | 'disk' | undefined): StagingError {
  if (error instanceof StagingError) return error
  // A source destroyed without an error (aborted request) surfaces as a premature close.
  const prematureClose = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE'
  if (origin === 'disk' && !prematureClose) return new StagingError('io', 'Cannot write the staging file', { cause: error })
  return new StagingError('truncated', 'Upload ended before the file was complete', { cause: error })
}

async function removePartial(out: WriteStream, wasOpened: () => boolean, path: string): Promise<void> {
  // Wait for the descriptor to close first, or a still-pending open could recreate the file.
  if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
  // Never remove a file this call did not create (an open that failed with EEXIST).
  if (wasOpened()) await removeFile(path)
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}
