import { join } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { loadConfig } from '../config/load.js'
import { createBlobStore } from '../storage/create-blob-store.js'
import { FsBlobStore } from '../storage/fs-blob-store.js'
import { migrateBlobs } from '../storage/migrate-blobs.js'

const PROGRESS_EVERY = 500

function positiveInteger(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a positive integer')
  return n
}

/**
 * `retake migrate-storage --to s3`: copies DATA/blobs/ into the configured bucket. Metadata is not
 * touched (the keys are the same on both stores). Run it with the server stopped, or run it again
 * after the switch to catch up: it skips what is already there.
 */
export function registerMigrateStorageCommand(program: Command): void {
  program
    .command('migrate-storage')
    .description("Copy the data folder's blobs into the S3 bucket of the RETAKE_S3_* settings (resumable, verified by SHA-256)")
    .requiredOption('--to <store>', 'target blob store (s3)')
    .option('--data <dir>', 'data folder (env RETAKE_DATA)')
    .option('--concurrency <n>', 'blobs copied at once', positiveInteger, 4)
    .action(async (opts: { to: string; data?: string; concurrency: number }) => {
      if (opts.to !== 's3') throw new InvalidArgumentError(`--to ${opts.to}: the only target is s3`)
      const config = loadConfig({ overrides: { dataDir: opts.data } })
      if (config.s3Bucket === null) throw new Error('no S3 bucket configured: set RETAKE_S3_BUCKET and the other RETAKE_S3_* settings')
      const source = new FsBlobStore(join(config.dataDir, 'blobs'))
      const target = await createBlobStore(config)
      let done = 0
      try {
        const report = await migrateBlobs(source, target, {
          concurrency: opts.concurrency,
          onBlob: (key, outcome) => {
            if (outcome === 'conflict') process.stderr.write(`conflict: ${key} holds other bytes in the bucket; left as it is\n`)
            if (++done % PROGRESS_EVERY === 0) process.stderr.write(`${done} blobs…\n`)
          },
        })
        process.stdout.write(`${JSON.stringify(report)}\n`)
        if (report.conflicts.length > 0) process.exitCode = 1
      } finally {
        await target.close()
      }
    })
}
