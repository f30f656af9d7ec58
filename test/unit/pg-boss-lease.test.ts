import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultConfig } from '../../src/config/load.js'
import { pgBossLeaseTimings } from '../../src/jobs/pg-boss-lease.js'

test('by default a job lost with its node is taken over within a minute', () => {
  const timings = pgBossLeaseTimings(defaultConfig().jobExpireSeconds)
  assert.ok(timings.worstTakeoverSeconds < 60, JSON.stringify(timings))
  assert.ok(timings.maintenanceIntervalSeconds <= timings.expireInSeconds)
})

test('the maintenance pass runs every half lease, between 1 and 60 s', () => {
  assert.equal(pgBossLeaseTimings(3).maintenanceIntervalSeconds, 2)
  assert.equal(pgBossLeaseTimings(1000).maintenanceIntervalSeconds, 60)
})
