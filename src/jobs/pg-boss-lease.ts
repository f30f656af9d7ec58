import { DEFAULT_RETRY_DELAY_SECONDS } from './job-queue.js'

/**
 * The lease timings for a given `expireInSeconds`: pg-boss expires lapsed leases in its maintenance
 * pass, so it runs every half lease. A job lost with its node is retried within `worstTakeoverSeconds`
 * (lease + maintenance interval + the first retry's backoff, at most twice the retry delay).
 */
export function pgBossLeaseTimings(expireInSeconds: number, retryDelaySeconds = DEFAULT_RETRY_DELAY_SECONDS) {
  const maintenanceIntervalSeconds = Math.max(1, Math.min(60, Math.ceil(expireInSeconds / 2)))
  return { expireInSeconds, maintenanceIntervalSeconds, worstTakeoverSeconds: expireInSeconds + maintenanceIntervalSeconds + 2 * retryDelaySeconds }
}
