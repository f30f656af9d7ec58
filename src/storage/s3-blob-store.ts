import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { assertValidBlobKey, assertValidKeyPrefix, assertValidRange, BlobExistsError, BlobNotFoundError } from './blob-store.js'
import type { BlobKey, BlobStore, ByteRange, StoredBlob } from './blob-store.js'
import { contentTypeOfKey } from './content-types.js'

// Blobs as objects in one bucket, at `<prefix><key>`. S3 makes a PUT visible all at once, so
// atomic visibility needs no temp names. Bodies stream through lib-storage: at most
// (queueSize + 1) parts are held in memory, never a whole original.

const MIB = 1024 * 1024
const MAX_PARTS = 10_000 // S3's limit on parts per multipart upload

export interface S3BlobStoreOptions {
  bucket: string
  /** Prepended to every key (e.g. `retake/`), so one bucket can hold other things too. */
  prefix?: string
  /** Any S3-compatible server; the AWS endpoint for the region when absent. */
  endpoint?: string | null
  region: string
  /** Static keys; when absent the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | null
  /** `bucket` in the path instead of the host name, as most self-hosted servers need. */
  forcePathStyle?: boolean
  /** Bodies up to this size go in one PUT; larger ones multipart, in parts of this size (at least 5 MiB). */
  partSize?: number
  /** Parts of one body uploaded at once. */
  queueSize?: number
  /** Keys per ListObjectsV2 page (S3's maximum is 1000). */
  listPageSize?: number
}

/** BlobStore on an S3 bucket (AWS, Ceph RGW, MinIO, …), through @aws-sdk/client-s3. */
export class S3BlobStore implements BlobStore {
  readonly bucket: string
  readonly prefix: string
  readonly #client: S3Client
  readonly #partSize: number
  readonly #queueSize: number
  readonly #listPageSize: number

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket
    this.prefix = options.prefix ?? ''
    assertValidKeyPrefix(this.prefix)
    this.#partSize = Math.max(5 * MIB, options.partSize ?? 8 * MIB)
    this.#queueSize = options.queueSize ?? 2
    this.#listPageSize = options.listPageSize ?? 1000
    this.#client = new S3Client({
      region: options.region,
      endpoint: options.endpoint ?? undefined,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials ?? undefined,
      // The default sends streamed bodies aws-chunked with a trailing checksum, which RGW and other
      // S3-compatible servers refuse (411) or store verbatim. TLS and S3's own MD5 ETag protect the bytes.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    })
  }

  /** Fails with a readable message unless the bucket exists and the credentials may use it. */
  async checkBucket(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }))
    } catch (error) {
      const status = statusOf(error)
      const reason = status === 404 ? 'does not exist' : status === 403 ? 'is not accessible with these credentials' : 'cannot be reached'
      throw new Error(`S3 bucket ${this.bucket} ${reason}`, { cause: error })
    }
  }

  async put(key: BlobKey, body: Readable | Buffer): Promise<StoredBlob> {
    try {
      const objectKey = this.#objectKey(key)
      if (Buffer.isBuffer(body)) await this.#putBuffer(key, objectKey, body)
      else await this.#putStream(key, objectKey, body, this.#partSize)
      return await this.#statStored(key)
    } finally {
      // A body we never got to read (bad key, existing key) must not keep its request hanging.
      if (!Buffer.isBuffer(body) && !body.readableEnded) body.destroy()
    }
  }

  async putFile(key: BlobKey, path: string): Promise<StoredBlob> {
    const objectKey = this.#objectKey(key)
    const handle = await open(path, 'r') // a missing file fails here, before anything is written
    const stream = handle.createReadStream({ highWaterMark: MIB })
    try {
      const { size } = await handle.stat()
      // Parts grow with the file so that even a huge one fits S3's part limit.
      await this.#putStream(key, objectKey, stream, Math.max(this.#partSize, Math.ceil(size / MAX_PARTS)))
      return await this.#statStored(key)
    } finally {
      stream.destroy()
    }
  }

  async get(key: BlobKey, range?: ByteRange): Promise<Readable> {
    const objectKey = this.#objectKey(key)
    if (range) assertValidRange(range)
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: objectKey, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      )
      if (!(output.Body instanceof Readable)) throw new Error(`GetObject ${objectKey}: the body is not a Node.js stream`)
      return output.Body
    } catch (error) {
      if (statusOf(error) === 404) throw new BlobNotFoundError(key)
      // 416: the range starts at or past the end (only said of an object that exists).
      if (statusOf(error) === 416) return Readable.from([])
      throw error
    }
  }

  async stat(key: BlobKey): Promise<StoredBlob | undefined> {
    const objectKey = this.#objectKey(key)
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }))
      if (head.ContentLength === undefined || !head.ETag || !head.LastModified) {
        throw new Error(`HeadObject ${objectKey}: the answer lacks its length, ETag or Last-Modified`)
      }
      return { key, size: head.ContentLength, contentType: contentTypeOfKey(key), etag: head.ETag, modifiedAt: head.LastModified }
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw error
    }
  }

  async delete(key: BlobKey): Promise<void> {
    // S3 answers 204 for a key that is not there, so a retried delete is success as it is.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }))
  }

  async *list(prefix: string): AsyncIterable<BlobKey> {
    assertValidKeyPrefix(prefix)
    const pages = paginateListObjectsV2(
      { client: this.#client, pageSize: this.#listPageSize },
      { Bucket: this.bucket, Prefix: this.prefix + prefix },
    )
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length)
        // Objects put there by other tools (folder markers, odd names) are not this store's keys.
        if (key !== undefined && isValidKey(key)) yield key
      }
    }
  }

  async close(): Promise<void> {
    this.#client.destroy()
  }

  #objectKey(key: BlobKey): string {
    assertValidBlobKey(key)
    return this.prefix + key
  }

  async #putBuffer(key: BlobKey, objectKey: string, body: Buffer): Promise<void> {
    const put = new PutObjectCommand({
      Bucket: this.bucket,
      Key: objectKey,
      Body: body,
      ContentLength: body.length,
      ContentType: contentTypeOfKey(key),
      IfNoneMatch: '*', // keys are immutable: S3 answers 412 when the key already holds an object
    })
    await this.#client.send(put).catch((error: unknown) => rethrowExists(key, error))
  }

  async #putStream(key: BlobKey, objectKey: string, body: Readable, partSize: number): Promise<void> {
    // If-None-Match covers a single PUT and, on AWS, CompleteMultipartUpload; RGW 16 ignores it
    // there, so check first too. The check and the write can race, but callers never reuse keys.
    if (await this.stat(key)) throw new BlobExistsError(key)
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.bucket, Key: objectKey, Body: body, ContentType: contentTypeOfKey(key), IfNoneMatch: '*' },
      partSize,
      queueSize: this.#queueSize,
      leavePartsOnError: false, // a failed body aborts the multipart upload: nothing is left behind
    })
    await upload.done().catch((error: unknown) => rethrowExists(key, error))
  }

  /** What was stored, from a HEAD: RGW answers CompleteMultipartUpload with an empty ETag. */
  async #statStored(key: BlobKey): Promise<StoredBlob> {
    const stored = await this.stat(key)
    if (!stored) throw new Error(`S3 object ${this.prefix + key} is missing right after it was written`)
    return stored
  }
}

function rethrowExists(key: BlobKey, error: unknown): never {
  if (statusOf(error) === 412) throw new BlobExistsError(key)
  throw error
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode
}

function isValidKey(key: string): boolean {
  try {
    assertValidBlobKey(key)
    return true
  } catch {
    return false
  }
}
