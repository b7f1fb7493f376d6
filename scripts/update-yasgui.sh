#!/bin/sh
# Re-fetch the built YASGUI files the query page (/sparql in a browser) ships with, from npm.
#   scripts/update-yasgui.sh [VERSION]     (default: the latest @zazuko/yasgui)
# Copies only build/yasgui.min.js and build/yasgui.min.css into server/static/yasgui/ and
# records the version in server/static/yasgui/VERSION; node_modules never enters the repository.
# The source-map comment is dropped: the map is not shipped, so a browser must not ask for it.
set -eu

version="${1:-$(npm view @zazuko/yasgui version)}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/server/static/yasgui"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && npm pack --silent "@zazuko/yasgui@$version" >/dev/null && tar xzf ./*.tgz)
mkdir -p "$target"
grep -v '^//# sourceMappingURL=' "$scratch/package/build/yasgui.min.js" > "$target/yasgui.min.js"
cp "$scratch/package/build/yasgui.min.css" "$target/yasgui.min.css"
printf '%s\n' "$version" > "$target/VERSION"
node -e 'const p = require(process.argv[1]); if (p.license !== "MIT") { console.error("licence is now " + p.license + ": update LICENSE"); process.exit(1) }' \
  "$scratch/package/package.json"
echo "server/static/yasgui: @zazuko/yasgui $version ($(du -ch "$target"/*.js "$target"/*.css | tail -1 | cut -f1))"
