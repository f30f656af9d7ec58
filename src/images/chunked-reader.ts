import type { FileHandle } from 'node:fs/promises'

/** Chunk size for structure walks: one read per 64 KiB, whatever the step size of the walk. */
export const READ_CHUNK_BYTES = 64 * 1024

/**
 * Forward reads of a file through one reusable buffer, for walks that take many small steps (marker
 * segments, GIF sub-blocks). `peek` is synchronous while the bytes are buffered, so a walk pays one
 * `await` per chunk rather than per step; every `load` is a real read and so also yields the event loop.
 */
export class ChunkedReader {
  private readonly buffer: Buffer
  private start = 0
  private end = 0

  constructor(
    private readonly file: FileHandle,
    readonly size: number,
    chunkBytes = READ_CHUNK_BYTES,
  ) {
    this.buffer = Buffer.alloc(chunkBytes)
  }

  get chunkBytes(): number {
    return this.buffer.length
  }

  /** Whether bytes [at, at + length) are buffered, so `byteAt`/`uint16At` can read them without I/O. */
  has(at: number, length: number): boolean {
    return at >= this.start && at + length <= this.end
  }

  /** Buffers [at, at + length) unless it is already; false when the file ends first. */
  async ensure(at: number, length: number): Promise<boolean> {
    if (this.has(at, length)) return true
    await this.load(at, length)
    return this.has(at, length)
  }

  /** A buffered byte (see `has`); no allocation, so walks with tiny steps stay cheap. */
  byteAt(at: number): number {
    return this.buffer[at - this.start] ?? Number.NaN
  }

  uint16At(at: number): number {
    return this.buffer.readUInt16BE(at - this.start)
  }

  /** Bytes [at, at + length) when they are buffered already, else undefined (then call `load`). */
  peek(at: number, length: number): Buffer | undefined {
    if (!this.has(at, length)) return undefined
    return this.buffer.subarray(at - this.start, at - this.start + length)
  }

  /** Buffers a chunk starting at `at`; returns up to `length` bytes from there (fewer at the end of the file). */
  async load(at: number, length: number): Promise<Buffer> {
    if (length > this.buffer.length) throw new RangeError(`cannot buffer ${length} bytes at once`)
    const cached = this.peek(at, length)
    if (cached) return cached
    const wanted = Math.max(0, Math.min(this.buffer.length, this.size - at))
    const { bytesRead } = wanted === 0 ? { bytesRead: 0 } : await this.file.read(this.buffer, 0, wanted, at)
    this.start = at
    this.end = at + bytesRead
    return this.buffer.subarray(0, Math.min(length, bytesRead))
  }

  /** `peek`, falling back to `load`: exactly `length` bytes, or undefined when the file ends first. */
  async bytes(at: number, length: number): Promise<Buffer | undefined> {
    const got = this.peek(at, length) ?? (await this.load(at, length))
    return got.length === length ? got : undefined
  }

  /** The first offset in [from, limit) holding `value`, or `limit` when there is none; indexOf per chunk. */
  async findByte(from: number, value: number, limit: number): Promise<number> {
    for (let at = from; at < Math.min(limit, this.size); ) {
      const chunk = await this.load(at, this.chunkBytes)
      if (chunk.length === 0) break
      const found = chunk.indexOf(value)
      if (found !== -1) return Math.min(at + found, limit)
      at += chunk.length
    }
    return limit
  }

  /**
   * The first offset in [from, limit) whose byte is not `fill`, or `limit` when there is none (also
   * when the file ends first). Scans a chunk at a time, so long runs of padding cost one read per chunk.
   */
  async skipByte(from: number, fill: number, limit: number): Promise<number> {
    let at = from
    const stop = Math.min(limit, this.size)
    while (at < stop) {
      const chunk = this.peek(at, 1) ? this.buffer.subarray(at - this.start, this.end - this.start) : await this.load(at, this.chunkBytes)
      const count = Math.min(chunk.length, stop - at)
      if (count === 0) return stop // the file shrank under us; never spin
      for (let i = 0; i < count; i++) if (chunk[i] !== fill) return at + i
      at += count
    }
    return stop
  }
}
