#!/bin/sh
# Installs the JSON Schema validator the integration tests use (ajv,
# ajv-formats) into BUILD/node/node_modules with npm, only when missing.
#   sh scripts/install-node-deps.sh [BUILD_DIR]     (default: build)
# Exit 0 when installed (or already there), 1 when npm is missing or fails.
set -eu
dir="${1:-build}/node"
if [ -f "$dir/node_modules/ajv/dist/2020.js" ] && [ -d "$dir/node_modules/ajv-formats" ]; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "install-node-deps: npm not found" >&2; exit 1; }
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "iolockprof-test-deps", "private": true }' > "$dir/package.json"
echo "install-node-deps: npm install ajv ajv-formats in $dir"
(cd "$dir" && npm install --silent --no-audit --no-fund ajv@8 ajv-formats@3 >/dev/null)
