// Upload page: each chosen or dropped file is posted on its own (XMLHttpRequest, so the browser's real
// upload progress drives its bar), then its async ticket is polled until the photo is ready or failed.
'use strict'

/** Flickr's message in words, with its code when it is a Flickr error. */
function describe(error) {
  return error.code === undefined ? error.message : `${error.message} (error ${error.code})`
}

const form = document.getElementById('upload-form')
const input = document.getElementById('photo')
const drop = document.getElementById('drop')
const list = document.getElementById('files')
const csrf = form.dataset.csrf
const nsid = form.dataset.nsid
let dropped = null

function row(file) {
  const item = document.createElement('li')
  const name = document.createElement('span')
  name.textContent = file.name
  const bar = document.createElement('progress')
  bar.max = 100
  bar.value = 0
  bar.setAttribute('aria-label', `Upload progress of ${file.name}`)
  const state = document.createElement('span')
  state.className = 'state'
  state.setAttribute('role', 'status')
  state.textContent = 'Waiting'
  item.append(name, bar, state)
  list.append(item)
  return { item, bar, state }
}

function fail(view, message) {
  view.item.dataset.state = 'failed'
  view.state.textContent = `Failed: ${message}`
  view.state.className = 'state error'
}

async function addToAlbum(album, photoId) {
  const body = new URLSearchParams({ photo_id: photoId })
  await fetch(`/photos/${nsid}/albums/${album}/add`, { method: 'POST', body, headers: { 'x-csrf-token': csrf, accept: 'application/json' } })
}

async function poll(view, ticketId, album) {
  for (;;) {
    const answer = await (await fetch(`/web/tickets?ids=${encodeURIComponent(ticketId)}`)).json()
    const ticket = answer.tickets[0]
    if (ticket.complete === 1) {
      if (album) await addToAlbum(album, ticket.photoId)
      view.item.dataset.state = 'done'
      view.item.dataset.photoId = ticket.photoId
      const link = document.createElement('a')
      link.href = `/photos/${nsid}/${ticket.photoId}/`
      link.textContent = 'Done: view the photo'
      view.state.replaceChildren(link)
      return
    }
    if (ticket.complete === 2) return fail(view, `${ticket.message} (error ${ticket.code})`)
    if (ticket.invalid) return fail(view, 'the upload ticket was lost')
    await new Promise((resolve) => setTimeout(resolve, 700))
  }
}

function send(file, fields, album) {
  const view = row(file)
  const data = new FormData()
  for (const [name, value] of fields) data.append(name, value)
  data.append('photo', file, file.name)
  const request = new XMLHttpRequest()
  request.open('POST', '/upload')
  request.setRequestHeader('x-csrf-token', csrf)
  request.responseType = 'json'
  request.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return
    view.bar.value = Math.round((event.loaded / event.total) * 100)
    view.item.dataset.progressEvents = String(Number(view.item.dataset.progressEvents || 0) + 1)
    view.state.textContent = `Uploading ${view.bar.value}%`
  })
  request.addEventListener('load', () => {
    const answer = request.response || {}
    if (request.status !== 200 || !answer.ticketId) return fail(view, answer.error ? describe(answer.error) : `HTTP ${request.status}`)
    view.bar.value = 100
    view.item.dataset.state = 'processing'
    view.state.textContent = 'Processing'
    poll(view, answer.ticketId, album).catch((error) => fail(view, String(error)))
  })
  request.addEventListener('error', () => fail(view, 'the connection was lost'))
  request.send(data)
}

drop.addEventListener('dragover', (event) => {
  event.preventDefault()
  drop.classList.add('over')
})
drop.addEventListener('dragleave', () => drop.classList.remove('over'))
drop.addEventListener('drop', (event) => {
  event.preventDefault()
  drop.classList.remove('over')
  dropped = [...event.dataTransfer.files]
  input.required = false
  drop.querySelector('label').textContent = `${dropped.length} file(s) ready`
})

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const files = dropped ?? [...input.files]
  if (files.length === 0) return
  const fields = ['title', 'description', 'tags', 'is_public'].map((name) => [name, form.elements[name].value])
  const album = form.elements.album.value
  for (const file of files) send(file, fields, album)
  dropped = null
  form.reset()
})
