#!/usr/bin/env bash
# curl, as any script would, against a drop-in server: getSizes on api.flickr.com, then every size's
# source on live.staticflickr.com and the farm hosts clients build from `farm`, an unknown method,
# reflection.getMethods and a plain-HTTP page. Environment: API_KEY, PHOTO_ID. Output: one "kind value…" line per check.
set -euo pipefail
rest="https://api.flickr.com/services/rest/?api_key=${API_KEY}&format=json&nojsoncallback=1"
curl -sS --fail "${rest}&method=flickr.photos.getSizes&photo_id=${PHOTO_ID}" >"$NS/sizes.json"
/usr/bin/python3 -c 'import json,sys; [print(s["source"]) for s in json.load(open(sys.argv[1]))["sizes"]["size"]]' "$NS/sizes.json" >"$NS/sources"
while read -r source; do
  path=${source#https://live.staticflickr.com}
  for url in "$source" "https://farm66.staticflickr.com${path}" "https://farm66.static.flickr.com${path}"; do
    meta=$(curl -sS --fail -o "$NS/body" -w '%{http_code} %{content_type}' "$url")
    echo "file $url $meta $(sha256sum <"$NS/body" | cut -d' ' -f1)"
  done
done <"$NS/sources"
for _ in 1 2; do
  echo "unknown $(curl -sS "${rest}&method=flickr.photos.notServedHere" | tr -d '\n')"
done
echo "methods $(curl -sS --fail "${rest}&method=flickr.reflection.getMethods" | /usr/bin/python3 -c 'import json,sys; print(json.dumps([m["_content"] for m in json.load(sys.stdin)["methods"]["method"]]))')"
echo "plain $(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://www.flickr.com/photos/${PHOTO_ID}/")"
