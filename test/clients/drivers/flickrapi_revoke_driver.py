"""python3-flickrapi, unmodified: the OAuth dance, a call, then (when told) the same call again.

For the web app's revoke test. Settings as flickrapi_driver.py (BASE_URL, API_KEY, API_SECRET, CA_FILE, PERMS).
Protocol, one JSON object per line on stdout:
  1. {"authorize_url": "..."}; reads the verifier from stdin
  2. {"login": "<user id>"} after test.login; reads one more line (any) from stdin
  3. {"login": "<user id>"} or {"error": "...", "code": ...} for a second test.login
"""
import os
import sys

from retake_flickrapi import emit  # first: points flickrapi at the server under test
import flickrapi  # noqa: E402


def login(flickr):
    try:
        emit({'login': flickr.test.login().find('user').get('id')})
    except flickrapi.exceptions.FlickrError as error:
        emit({'error': str(error), 'code': error.code})


def main():
    flickr = flickrapi.FlickrAPI(os.environ['API_KEY'], os.environ['API_SECRET'], store_token=False)
    flickr.get_request_token(oauth_callback='oob')
    emit({'authorize_url': flickr.auth_url(perms=os.environ.get('PERMS', 'write'))})
    flickr.get_access_token(sys.stdin.readline().strip())
    login(flickr)
    sys.stdin.readline()
    login(flickr)


if __name__ == '__main__':
    main()
