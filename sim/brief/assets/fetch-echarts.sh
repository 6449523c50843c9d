#!/bin/sh
# Fetches the ECharts build the HTML report embeds, from the npm package
# echarts at a pinned version, with its Apache-2.0 LICENSE and NOTICE and the
# d3 licence the LICENSE refers to, and checks the build against its digest.
# Run from this folder (go generate ./sim/brief does); needs npm. To move to
# another version, change version below and delete echarts/echarts.min.js.sha256;
# review the new digest before committing it.
set -eu
version=6.1.0
sha256=$(cat echarts/echarts.min.js.sha256 2>/dev/null | cut -d' ' -f1 || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@$version" >/dev/null && tar xzf "echarts-$version.tgz")
mkdir -p echarts
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" echarts/
cp "$tmp/package/licenses/LICENSE-d3" echarts/
echo "$version" >echarts/VERSION
got=$(sha256sum echarts/echarts.min.js | cut -d' ' -f1)
if [ -n "$sha256" ] && [ "$got" != "$sha256" ]; then
	echo "echarts.min.js $version: sha256 $got, want $sha256 (echarts/echarts.min.js.sha256)" >&2
	exit 1
fi
echo "$got  echarts.min.js" >echarts/echarts.min.js.sha256
