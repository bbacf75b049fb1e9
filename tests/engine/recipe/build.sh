#!/usr/bin/env bash
# Builds the Pulumi CLI from its published Go modules (pinned in go.mod/go.sum beside this file)
# into a cache outside the checkout, keyed by version, and copies beside it the two scripts of
# the sdk module the engine runs: pulumi-language-python-exec (the Python program runner) and
# pulumi-resource-pulumi-python (the dynamic provider). Prints the bin directory on stdout.
#
# Why a wrapper module: `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX` is refused
# because pkg's go.mod has `replace` directives (sdk/v3 => ../sdk); replaces only act in the
# main module, so this module requires pkg/v3 and sdk/v3 at one version and builds the command.
# Flags are the release build's (CGO_ENABLED=0, osusergo,grpcnotrace, -trimpath, version ldflag).
#
# Exit 4 when Go or the module proxy is missing.
set -euo pipefail
recipe="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="v$(sed -n 's#^require github.com/pulumi/pulumi/pkg/v3 v\(.*\)$#\1#p' "$recipe/go.mod")"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/landing-zone/engine/$version"
bin="$cache/bin"

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-python-exec" ] &&
   [ -x "$bin/pulumi-resource-pulumi-python" ]; then
  echo "$bin"; exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "engine: Go is required to build the Pulumi CLI $version (https://go.dev/dl/)." >&2
  exit 4
fi

cd "$recipe"
echo "engine: downloading the Pulumi $version Go modules (GOPROXY=$(go env GOPROXY))..." >&2
if ! sdk_dir="$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@$version" |
                sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')" || [ -z "$sdk_dir" ] ||
   ! go mod download github.com/pulumi/pulumi/pkg/v3; then
  echo "engine: the Go module proxy does not serve github.com/pulumi/pulumi/{pkg,sdk}/v3@$version;" \
       "check GOPROXY and network access, or move the pin in $recipe/go.mod." >&2
  exit 4
fi

echo "engine: building pulumi $version into $bin (a cold build takes ~8 minutes on 2 cores)..." >&2
tmp="$cache/bin.partial"
rm -rf "$tmp" && mkdir -p "$tmp"
started=$SECONDS
CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$tmp/"
install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$tmp/"
rm -rf "$bin" && mv "$tmp" "$bin"
echo "engine: built in $((SECONDS - started))s" >&2
echo "$bin"
