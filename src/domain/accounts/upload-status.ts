import type { PlanLimits } from '../../config/schema.js'
import type { Account } from '../../db/account-repository.js'
import type { AccountUsage } from '../../db/usage-repository.js'

// Flickr's getUploadStatus example for an unlimited (pro) account shows 2 GB/month with unlimited="1";
// clients that only read maxbytes then still see a sensible figure.
const UNLIMITED_BANDWIDTH_BYTES = 2147483648

export interface UploadStatus {
  isPro: boolean
  bandwidth: { maxBytes: number; usedBytes: number; remainingBytes: number; unlimited: boolean }
  fileSize: { maxBytes: number }
  photos: { uploaded: number; max: number | null; remaining: number | null }
}

export function planOf(account: Account, plans: { free: PlanLimits; pro: PlanLimits }): PlanLimits {
  return account.isPro ? plans.pro : plans.free
}

/** The figures flickr.people.getUploadStatus reports and uploads are checked against. */
export function uploadStatus(account: Account, plan: PlanLimits, usage: AccountUsage): UploadStatus {
  const unlimited = plan.monthlyBytes === null
  const maxBytes = plan.monthlyBytes ?? UNLIMITED_BANDWIDTH_BYTES
  return {
    isPro: account.isPro === 1,
    bandwidth: { maxBytes, usedBytes: usage.bytesThisMonth, remainingBytes: Math.max(0, maxBytes - usage.bytesThisMonth), unlimited },
    fileSize: { maxBytes: plan.maxFileBytes },
    photos: {
      uploaded: usage.photos,
      max: plan.maxPhotos,
      remaining: plan.maxPhotos === null ? null : Math.max(0, plan.maxPhotos - usage.photos),
    },
  }
}
