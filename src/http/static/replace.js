// Photo page, owner: replace the file with upload progress, then show the old and new pictures side
// by side. The old one stays on screen from the browser's copy (its URL dies with the replace); a
// reload shows only the new pixels at the same page address.
'use strict'

/** Flickr's message in words, with its code when it is a Flickr error. */
function describe(error) {
  return error.code === undefined ? error.message : `${error.message} (error ${error.code})`
}

const form = document.getElementById('replace-form')
const bar = document.getElementById('replace-progress')
const status = document.getElementById('replace-status')
const compare = document.getElementById('compare')
const before = document.getElementById('before')
const after = document.getElementById('after')
const csrf = form.querySelector('input[name=_csrf]').value

function say(text, failed) {
  status.textContent = text
  status.className = failed ? 'error' : ''
}

async function poll(ticketId) {
  for (;;) {
    const answer = await (await fetch(`/web/tickets?ids=${encodeURIComponent(ticketId)}`)).json()
    const ticket = answer.tickets[0]
    if (ticket.complete === 1) return ticket
    if (ticket.complete === 2) throw new Error(`${ticket.message} (error ${ticket.code})`)
    if (ticket.invalid) throw new Error('the replace ticket was lost')
    await new Promise((resolve) => setTimeout(resolve, 700))
  }
}

function showAfter(ticket) {
  // The new secret names the new files: same photo id, same size suffix as the picture shown.
  const src = before.getAttribute('src').replace(/\/[^/]+\/(\d+)_[0-9a-f]+_/, `/${ticket.server}/$1_${ticket.secret}_`)
  after.src = src
  compare.hidden = false
  document.getElementById('picture')?.setAttribute('hidden', '')
  form.dataset.state = 'replaced'
  say('Replaced. Leave or reload the page to see only the new picture.')
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const data = new FormData(form)
  const request = new XMLHttpRequest()
  request.open('POST', form.getAttribute('action'))
  request.setRequestHeader('x-csrf-token', csrf)
  request.responseType = 'json'
  bar.hidden = false
  request.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100)
  })
  request.addEventListener('load', () => {
    const answer = request.response || {}
    if (request.status !== 200 || !answer.ticketId) return say(`Failed: ${answer.error ? describe(answer.error) : `HTTP ${request.status}`}`, true)
    bar.value = 100
    say('Processing')
    poll(answer.ticketId).then(showAfter, (error) => say(`Failed: ${error.message}`, true))
  })
  request.addEventListener('error', () => say('Failed: the connection was lost', true))
  request.send(data)
})
