"""Debian's python3-flickrapi with its built-in URLs (no class attribute changed) against a drop-in server.

Runs inside the test's namespace, where www/api/up.flickr.com are the Retake server and the system CA
bundle trusts its CA. Environment: API_KEY, API_SECRET, USERNAME, PASSWORD, FILES (three JPEG paths).
Plays the user too: it opens the authorize URL flickrapi built and posts the consent form as a browser
does. Output: one JSON object per step on stdout.
"""
import html
import json
import os
import re
import sys
import time
from urllib.parse import urljoin

import flickrapi
import requests


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def approve(authorize_url):
    """GET the consent page, submit its form (hidden fields, credentials, approve), return the oob code."""
    page = requests.get(authorize_url, allow_redirects=False)
    page.raise_for_status()
    fields = [(html.unescape(n), html.unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page.text)]
    action = html.unescape(re.search(r'<form method="post" action="([^"]*)">', page.text).group(1))
    fields += [('username', os.environ['USERNAME']), ('password', os.environ['PASSWORD']), ('decision', 'approve')]
    done = requests.post(urljoin(authorize_url, action), data=fields, allow_redirects=False)
    done.raise_for_status()
    return html.unescape(re.search(r'<p class="code" id="code">([^<]*)</p>', done.text).group(1))


def tickets(api, ticket_id):
    deadline = time.time() + 60
    while True:
        found = [dict(t.attrib) for t in api.photos.upload.checkTickets(tickets=ticket_id).find('uploader').findall('ticket')]
        if all(t.get('complete') != '0' for t in found) or time.time() > deadline:
            return found
        time.sleep(0.2)


def main():
    first, second, third = os.environ['FILES'].split(',')
    api = flickrapi.FlickrAPI(os.environ['API_KEY'], os.environ['API_SECRET'], store_token=False)
    emit({'rest_url': api.REST_URL, 'upload_url': api.UPLOAD_URL, 'replace_url': api.REPLACE_URL})
    api.get_request_token(oauth_callback='oob')
    authorize_url = api.auth_url(perms='write')
    emit({'authorize_url': authorize_url})
    api.get_access_token(approve(authorize_url))
    emit({'login': api.test.login().find('user').get('id')})
    photo_id = api.upload(first, title='drop-in').find('photoid').text
    emit({'uploaded': photo_id})
    replaced = api.replace(second, photo_id).find('photoid')
    emit({'replaced': replaced.text, 'secret': replaced.get('secret')})
    ticket = api.replace(third, photo_id, **{'async': '1'}).find('ticketid').text
    emit({'tickets': tickets(api, ticket)})
    sizes = api.photos.getSizes(photo_id=photo_id).find('sizes').findall('size')
    original = [s.get('source') for s in sizes if s.get('label') == 'Original'][0]
    emit({'sizes': [s.get('source') for s in sizes], 'original': original})
    fetched = requests.get(original)
    emit({'original_status': fetched.status_code, 'original_is_third': fetched.content == open(third, 'rb').read()})


if __name__ == '__main__':
    main()
