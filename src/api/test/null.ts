import { defineMethod } from '../registry.js'

export const testNull = defineMethod({
  name: 'flickr.test.null',
  description: 'Null test: an authenticated call that returns an empty response.',
  perms: 'read',
  needsSigning: true,
  args: {},
  async handle() {
    return []
  },
})
