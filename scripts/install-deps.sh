#!/usr/bin/env bash
# install-deps.sh: installs the Debian 12 packages the build, tests, benchmarks and
# Wine runs need. Idempotent: does nothing when everything is present.
set -euo pipefail

# libboost-dev and fio: anchors of the benchmarks (bench/README.md), which skip them if absent.
packages=(build-essential cmake ninja-build pkg-config liburing-dev libboost-dev fio
          wine wine64 g++-mingw-w64-x86-64)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
