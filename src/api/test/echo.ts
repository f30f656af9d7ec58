import { defineMethod } from '../registry.js'

export const testEcho = defineMethod({
  name: 'flickr.test.echo',
  description: 'A testing method which echoes all parameters back in the response.',
  perms: 'none',
  args: {},
  async handle(ctx) {
    // Flickr echoes every argument it received (auth_token and api_sig included), never OAuth secrets.
    return ctx.rawParams
      .filter(([name]) => /^[A-Za-z_][\w.-]*$/.test(name) && name !== 'oauth_signature')
      .map(([name, value]) => ({ name, text: value }))
  },
})
