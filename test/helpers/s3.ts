import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3'

/**
 * The S3 server the tests may use: RETAKE_TEST_S3_* variables, else the env file of a cluster that
 * `scripts/rgw.sh start` left running (so a developer need not export anything). Under CI a missing
 * server is a failure, not a skip.
 */
export interface TestS3 {
  endpoint: string
  region: string
  accessKeyId: string
  secretAccessKey: string
}

export function testS3(): TestS3 | undefined {
  const vars = { ...rgwEnvFile(), ...definedOnly(process.env) }
  const { RETAKE_TEST_S3_ENDPOINT: endpoint, RETAKE_TEST_S3_ACCESS_KEY_ID: accessKeyId, RETAKE_TEST_S3_SECRET_ACCESS_KEY: secretAccessKey } = vars
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    if (process.env.CI) throw new Error('CI is set but no test S3 server is configured (RETAKE_TEST_S3_*; scripts/rgw.sh start): S3 suites would be skipped')
    return undefined
  }
  return { endpoint, region: vars.RETAKE_TEST_S3_REGION ?? 'us-east-1', accessKeyId, secretAccessKey }
}

/** A test S3 server or the reason to skip, for `test(..., { skip })`. */
export function testS3OrSkip(): { s3: TestS3; skip: false } | { s3: undefined; skip: string } {
  const s3 = testS3()
  return s3 ? { s3, skip: false } : { s3: undefined, skip: 'no test S3 server (scripts/rgw.sh start, or set RETAKE_TEST_S3_*)' }
}

/** Options for S3BlobStore on the test server (add `bucket`). */
export function s3StoreOptions(s3: TestS3) {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    forcePathStyle: true,
  }
}

export function s3Client(s3: TestS3): S3Client {
  return new S3Client({ ...s3StoreOptions(s3), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' })
}

export interface TestBucket {
  name: string
  client: S3Client
  /** Deletes every object, unfinished multipart upload and the bucket itself. */
  drop(): Promise<void>
}

/** A new, empty bucket of its own, so a suite never sees another's objects. */
export async function createTestBucket(s3: TestS3): Promise<TestBucket> {
  const client = s3Client(s3)
  const name = `retake-test-${process.pid}-${randomBytes(4).toString('hex')}`
  await client.send(new CreateBucketCommand({ Bucket: name }))
  return {
    name,
    client,
    async drop() {
      try {
        await emptyBucket(client, name)
        await client.send(new DeleteBucketCommand({ Bucket: name }))
      } finally {
        client.destroy()
      }
    },
  }
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket })) {
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []))
    // One by one, a few at a time: DeleteObjects needs a Content-MD5 some servers insist on.
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(keys.slice(i, i + 16).map((Key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))))
    }
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))
  for (const upload of uploads.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }))
  }
}

function rgwEnvFile(): Record<string, string> {
  const path = `${process.env.RETAKE_RGW_DIR ?? '/tmp/retake-rgw'}/env`
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return {}
  }
  return Object.fromEntries([...text.matchAll(/^export (RETAKE_TEST_S3_\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]))
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''))
}
