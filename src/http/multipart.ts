import { Busboy, type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy'
import { PassThrough, type Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import type { ParamList } from './flickr-auth.js'

// Multipart bodies read straight from busboy, in wire order. Field names are plain data: `__proto__`
// or `constructor` is as good a name as any (no object is keyed by them), and nothing is parsed as
// JSON behind the caller's back. Every failure is a BodyError the caller maps to its own answer.

export interface MultipartLimits {
  fileSize: number
  files: number
  fields: number
  fieldSize: number
  parts: number
}

export type BodyFailure = 'unreadable' | 'field-too-large' | 'too-many-parts'

/** A body that could not be read as sent; statusCode lets a generic handler tell it from our faults. */
export class BodyError extends Error {
  readonly statusCode: number
  constructor(
    readonly reason: BodyFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'BodyError'
    this.statusCode = reason === 'field-too-large' ? 413 : 400
  }
}

export interface MultipartFile {
  fieldname: string
  stream: Readable
  /** Whether busboy's fileSize limit cut the file short (checked once the stream ended) */
  truncated(): boolean
}

/**
 * Reads every part: text fields are returned in order; each part with a filename goes to `onFile`,
 * which must consume its stream (or resume it to drain). The body is always read to its end, so the
 * client gets to read the answer, even when a part fails.
 */
export function readMultipart(request: FastifyRequest, limits: MultipartLimits, onFile: (file: MultipartFile) => Promise<void>): Promise<ParamList> {
  return new Promise((resolve, reject) => {
    let busboy: BusboyInstance
    try {
      busboy = Busboy({ headers: request.headers as BusboyHeaders, limits })
    } catch (error) {
      request.raw.resume()
      return reject(new BodyError('unreadable', 'multipart body without a usable boundary', { cause: error }))
    }
    const fields: ParamList = []
    const pending: Array<Promise<void>> = []
    let parts = 0
    let failure: unknown
    const fail = (error: unknown) => {
      failure ??= error
    }
    busboy.on('field', (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      parts++
      if (nameTruncated || valueTruncated) fail(new BodyError('field-too-large', `field ${name.slice(0, 64)} is over ${limits.fieldSize} bytes`))
      else fields.push([name, value])
    })
    busboy.on('file', (name: string, stream: BusboyFileStream) => {
      parts++
      if (failure) return void stream.resume()
      pending.push(onFile(detachable(name, stream)).catch((error: unknown) => void fail(error)))
    })
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit']) busboy.on(limit, () => fail(new BodyError('too-many-parts', `multipart ${limit} reached`)))
    const finish = async () => {
      await Promise.allSettled(pending)
      if (!failure && parts === 0 && hasContent(request)) failure = new BodyError('unreadable', 'multipart body without a single part: its boundary never appears')
      return failure ? reject(failure) : resolve(fields)
    }
    busboy.on('error', (error: unknown) => {
      fail(new BodyError('unreadable', 'multipart body is malformed or cut short', { cause: error }))
      request.raw.unpipe(busboy)
      request.raw.resume()
      void finish()
    })
    busboy.on('finish', () => void finish())
    request.raw.on('error', (error) => fail(new BodyError('unreadable', 'the request stream failed', { cause: error })))
    request.raw.pipe(busboy)
  })
}

/**
 * The consumer gets a pass-through: if it gives up (destroys it, as a failed pipeline does), the part
 * is drained instead, since a destroyed busboy stream would stall the whole body for ever.
 */
function detachable(fieldname: string, source: BusboyFileStream): MultipartFile {
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 })
  source.on('error', (error) => stream.destroy(error))
  stream.on('close', () => {
    if (source.readableEnded) return
    source.unpipe(stream)
    source.resume()
  })
  source.pipe(stream)
  return { fieldname, stream, truncated: () => source.truncated }
}

/**
 * busboy ends quietly, with no part and no error, when a body's boundary never appears. A body
 * longer than the bare closing delimiter that yielded nothing was not read at all.
 */
function hasContent(request: FastifyRequest): boolean {
  const boundary = /boundary="?([^";]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1] ?? ''
  return Number(request.headers['content-length'] ?? 0) > boundary.length + 8
}

export function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')
}
