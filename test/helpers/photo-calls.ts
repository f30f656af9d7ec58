import { fetch, FormData, type Dispatcher } from 'undici'
import { oauthSigner, signedParams } from './oauth-client.js'

export interface PhotoCallOptions {
  url: string
  /** Text fields besides the OAuth ones (photo_id, title, async, …) */
  fields: Record<string, string>
  file?: { data: Buffer; filename?: string; contentType?: string }
  consumer: { key: string; secret: string }
  token?: { key: string; secret: string }
  /** Where the OAuth parameters go: multipart fields (flickr-sdk) or the Authorization header (python) */
  placement?: 'multipart' | 'header'
  /** Put the file before the text fields (Perl's order is random) */
  fileFirst?: boolean
  dispatcher: Dispatcher
  mangleSignature?: boolean
}

/** An upload/replace request as Flickr clients send it: multipart, every field but the file signed. */
export async function photoCall(options: PhotoCallOptions): Promise<{ status: number; body: string }> {
  const oauth = signedParams({
    method: 'POST',
    url: options.url,
    params: options.fields,
    consumer: options.consumer,
    token: options.token,
    mangleSignature: options.mangleSignature,
  })
  const form = new FormData()
  const appendFile = () => {
    if (options.file) {
      form.append('photo', new Blob([options.file.data], { type: options.file.contentType ?? 'application/octet-stream' }), options.file.filename ?? 'photo.jpg')
    }
  }
  if (options.fileFirst) appendFile()
  for (const [name, value] of Object.entries(options.fields)) form.append(name, value)
  const headers: Record<string, string> = {}
  if (options.placement === 'header') {
    headers.authorization = oauthSigner(options.consumer).toHeader(oauth as never).Authorization
  } else {
    for (const [name, value] of Object.entries(oauth)) form.append(name, value)
  }
  if (!options.fileFirst) appendFile()
  const response = await fetch(options.url, { method: 'POST', body: form, headers, dispatcher: options.dispatcher })
  return { status: response.status, body: await response.text() }
}

/** Reads `<photoid secret=".." originalsecret="..">ID</photoid>` or an error out of a response body. */
export function parsePhotoResponse(body: string): { id?: string; secret?: string; originalSecret?: string; ticketId?: string; errCode?: number; errMsg?: string } {
  const err = /<err code="(\d+)" msg="([^"]*)" \/>/.exec(body)
  if (err) return { errCode: Number(err[1]), errMsg: err[2] }
  const ticket = /<ticketid>([^<]+)<\/ticketid>/.exec(body)
  if (ticket) return { ticketId: ticket[1] }
  const photo = /<photoid(?: secret="([0-9a-f]+)" originalsecret="([0-9a-f]+)")?>(\d+)<\/photoid>/.exec(body)
  return photo ? { id: photo[3], secret: photo[1], originalSecret: photo[2] } : {}
}
