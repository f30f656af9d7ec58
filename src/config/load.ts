import { readFileSync } from 'node:fs'
import { configSchema, type Config } from './schema.js'

/** Environment variables that set a top-level key; values are parsed per the key's type. */
export const ENV_KEYS: Record<string, keyof Config> = {
  RETAKE_DATA: 'dataDir',
  RETAKE_HOST: 'host',
  RETAKE_HTTPS_PORT: 'httpsPort',
  RETAKE_HTTP_PORT: 'httpPort',
  RETAKE_TLS_CERT: 'tlsCert',
  RETAKE_TLS_KEY: 'tlsKey',
  RETAKE_PUBLIC_URL: 'publicUrl',
  RETAKE_TRUST_PROXY: 'trustProxy',
  RETAKE_DROP_IN: 'dropIn',
  RETAKE_READ_ONLY: 'readOnly',
  RETAKE_SIGNUP_ENABLED: 'signupEnabled',
  RETAKE_DATABASE_URL: 'databaseUrl',
  RETAKE_LOG_LEVEL: 'logLevel',
  RETAKE_LOG_FORMAT: 'logFormat',
  RETAKE_OAUTH_TIMESTAMP_WINDOW_SECONDS: 'oauthTimestampWindowSeconds',
  RETAKE_MAX_UPLOAD_BYTES: 'maxUploadBytes',
  RETAKE_MAX_INPUT_PIXELS: 'maxInputPixels',
  RETAKE_WORKERS: 'workers',
  RETAKE_QUEUE_MAX_DEPTH: 'queueMaxDepth',
  RETAKE_SYNC_CONCURRENCY: 'syncConcurrency',
  RETAKE_SYNC_WAIT_SECONDS: 'syncWaitSeconds',
  RETAKE_JOB_LEASE_SECONDS: 'jobLeaseSeconds',
  RETAKE_JOB_EXPIRE_SECONDS: 'jobExpireSeconds',
  RETAKE_TICKET_RETENTION_DAYS: 'ticketRetentionDays',
  RETAKE_PUBLIC_BASE_URL: 'publicBaseUrl',
  RETAKE_S3_BUCKET: 's3Bucket',
  RETAKE_S3_PREFIX: 's3Prefix',
  RETAKE_S3_ENDPOINT: 's3Endpoint',
  RETAKE_S3_REGION: 's3Region',
  RETAKE_S3_ACCESS_KEY_ID: 's3AccessKeyId',
  RETAKE_S3_SECRET_ACCESS_KEY: 's3SecretAccessKey',
  RETAKE_S3_FORCE_PATH_STYLE: 's3ForcePathStyle',
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function coerceEnv(raw: string): unknown {
  if (raw === 'true') return true
  if (raw === 'false') return false
  if (raw === 'null' || raw === '') return null
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw)
  return raw
}

export interface LoadConfigOptions {
  /** Values from command-line flags: they win over the file and the environment. */
  overrides?: Partial<Record<keyof Config, unknown>>
  env?: NodeJS.ProcessEnv
}

/**
 * Merges defaults < config file (RETAKE_CONFIG, JSON) < RETAKE_* variables < flags, parses once and
 * freezes the result. A bad key throws ConfigError listing every problem with its path.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env
  let merged: Record<string, unknown> = {}
  const file = env.RETAKE_CONFIG
  if (file) {
    try {
      merged = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`)
    }
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const raw = env[name]
    if (raw !== undefined) merged[key] = coerceEnv(raw)
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) merged[key] = value
  }
  applyDropInDefaults(merged)
  const parsed = configSchema.safeParse(merged)
  if (!parsed.success) {
    throw new ConfigError(
      'invalid configuration: ' +
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '),
    )
  }
  return deepFreeze(parsed.data)
}

/** Drop-in mode listens where programs with hard-coded https://…flickr.com URLs connect, unless told otherwise. */
function applyDropInDefaults(merged: Record<string, unknown>): void {
  if (merged.dropIn !== true) return
  if (merged.httpsPort === undefined) merged.httpsPort = 443
  if (merged.httpPort === undefined) merged.httpPort = 80
}

export function defaultConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return loadConfig({ overrides, env: {} })
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

export type { Config }
