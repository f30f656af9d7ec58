import { z } from 'zod'

const MB = 1024 * 1024

// Environment values that look numeric arrive as numbers (a bucket or key may be all digits).
const text = () => z.coerce.string().min(1)

const plan = z.object({
  maxPhotos: z.number().int().positive().nullable().describe('Most photos an account of this plan may hold; null = unlimited'),
  maxFileBytes: z.number().int().positive().describe('Largest single photo file, in bytes'),
  monthlyBytes: z.number().int().positive().nullable().describe('Bytes that may be uploaded per calendar month (UTC); null = unlimited'),
  maxNonPublic: z.number().int().positive().nullable().describe('Most non-public photos; null = unlimited'),
})

/** The single source of configuration: every key, its default and its description. */
export const configSchema = z.object({
  dataDir: z.string().min(1).default('./data').describe('Folder for the SQLite database, blobs, staging files and the TLS certificate'),
  host: z.string().min(1).default('127.0.0.1').describe('Address the listeners bind to'),
  httpsPort: z.number().int().min(0).max(65535).default(8443).describe('HTTPS listener port (0 = any free port)'),
  httpPort: z.number().int().min(0).max(65535).nullable().default(8080).describe('Plain-HTTP listener port (0 = any free port); it answers API calls with error 95 and redirects pages to HTTPS; null disables it'),
  tlsCert: z.string().nullable().default(null).describe('PEM certificate file; without it a self-signed ECDSA P-256 certificate is made once under DATA/tls/'),
  tlsKey: z.string().nullable().default(null).describe('PEM private key file for tlsCert'),
  publicUrl: z.string().url().nullable().default(null).describe('Base URL used in responses (photo URLs, OAuth redirects); without it, the scheme and host of each request'),
  trustProxy: z.boolean().default(false).describe('Honour X-Forwarded-Proto/Host/For from a TLS-terminating proxy'),
  dropIn: z.boolean().default(false).describe('Drop-in Flickr: serve with the DATA/drop-in/ certificate for Flickr\'s host names, on ports 443 and 80 unless set, and put www.flickr.com, api.flickr.com, up.flickr.com and live.staticflickr.com URLs in responses (docs/drop-in.md)'),
  signupEnabled: z.boolean().default(false).describe('Let visitors create (free) accounts at /signup; off = accounts come from the CLI only'),
  readOnly: z.boolean().default(false).describe('Start in maintenance mode: every write answers error 105 (the switch can also be flipped at run time)'),
  databaseUrl: z.string().nullable().default(null).describe('postgres://… puts metadata in PostgreSQL instead of DATA/retake.db'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  logFormat: z.enum(['auto', 'json', 'pretty']).default('auto').describe('Log lines on stderr: pretty = human-readable, json = one JSON object per line, auto = pretty when stderr is a terminal'),
  oauthTimestampWindowSeconds: z.number().int().positive().default(900).describe('How far an oauth_timestamp may be from the server clock, in seconds'),
  maxUploadBytes: z.number().int().positive().default(200 * MB).describe('Server-wide cap on one uploaded file; a body over it is cut off'),
  maxInputPixels: z.number().int().positive().default(268402689).describe('Images declaring more pixels than this are refused without being decoded'),
  plans: z
    .object({ free: plan, pro: plan })
    .default({
      free: { maxPhotos: 1000, maxFileBytes: 200 * MB, monthlyBytes: 300 * MB, maxNonPublic: 50 },
      pro: { maxPhotos: null, maxFileBytes: 200 * MB, monthlyBytes: null, maxNonPublic: null },
    })
    .describe('Upload limits per account plan'),
  workers: z.number().int().positive().nullable().default(null).describe('Image-processing workers; null = one per CPU core'),
  queueMaxDepth: z.number().int().positive().default(200).describe('Async requests are refused with 105 and Retry-After once this many jobs wait'),
  syncConcurrency: z.number().int().positive().nullable().default(null).describe('Sync uploads/replaces processed at once; null = one per CPU core'),
  syncWaitSeconds: z.number().positive().default(60).describe('How long a sync request waits for a processing slot before answering 105'),
  jobLeaseSeconds: z.number().int().positive().default(30).describe('SQLite queue: a running job renews this lease; a job whose process died is retried once it lapses'),
  jobExpireSeconds: z.number().int().min(3).default(20).describe('pg-boss queue: a running job\'s lease, renewed every third of it; a job whose node died is taken over by another node once it lapses (within about twice this, plus the retry delay)'),
  ticketRetentionDays: z.number().positive().default(7).describe('Finished tickets are forgotten after this many days'),
  publicBaseUrl: z.string().url().nullable().default(null).describe('Where the blobs themselves are served publicly (a bucket\'s or CDN\'s URL, s3Prefix not included); size URLs then answer 302 to it after the usual checks, so the bytes leave from there. The objects must be publicly readable: see the trade-off with private photos in docs/configuration.md'),
  s3Bucket: text().nullable().default(null).describe('S3 bucket for blobs (originals and sizes); when set, blobs go there instead of DATA/blobs/'),
  s3Prefix: z.string().nullable().default(null).describe('Prepended to every object key (e.g. retake/), so the bucket may hold other things'),
  s3Endpoint: z.string().url().nullable().default(null).describe('URL of an S3-compatible server (Ceph RGW, MinIO, …); null = AWS S3 in s3Region'),
  s3Region: text().default('us-east-1').describe('S3 region (signing scope; any value for most self-hosted servers)'),
  s3AccessKeyId: text().nullable().default(null).describe('S3 access key id; null = the AWS SDK default chain (AWS_* variables, profile, instance role)'),
  s3SecretAccessKey: text().nullable().default(null).describe('S3 secret access key for s3AccessKeyId'),
  s3ForcePathStyle: z.boolean().default(false).describe('Address the bucket in the path (server/bucket/key) rather than the host name, as most self-hosted servers need'),
}).superRefine((config, context) => {
  if ((config.s3AccessKeyId === null) !== (config.s3SecretAccessKey === null)) {
    context.addIssue({ code: 'custom', path: ['s3SecretAccessKey'], message: 's3AccessKeyId and s3SecretAccessKey go together: set both or neither' })
  }
})

export type Config = Readonly<z.infer<typeof configSchema>>
export type PlanLimits = z.infer<typeof plan>
