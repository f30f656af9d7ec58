import { join } from 'node:path'
import type { Config } from '../config/schema.js'
import type { BlobStore } from './blob-store.js'
import { FsBlobStore } from './fs-blob-store.js'
import { S3BlobStore } from './s3-blob-store.js'

/** The S3 store's options from the configuration, or undefined when no bucket is configured. */
export function s3OptionsFrom(config: Config): ConstructorParameters<typeof S3BlobStore>[0] | undefined {
  if (config.s3Bucket === null) return undefined
  return {
    bucket: config.s3Bucket,
    prefix: config.s3Prefix ?? '',
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    credentials:
      config.s3AccessKeyId !== null && config.s3SecretAccessKey !== null
        ? { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey }
        : null,
    forcePathStyle: config.s3ForcePathStyle,
  }
}

/** S3 when a bucket is configured (checked to be reachable, so a bad setting fails at start), else DATA/blobs/. */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  const s3 = s3OptionsFrom(config)
  if (!s3) return new FsBlobStore(join(config.dataDir, 'blobs'))
  const store = new S3BlobStore(s3)
  try {
    await store.checkBucket()
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
