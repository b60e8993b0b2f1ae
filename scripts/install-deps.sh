#!/usr/bin/env bash
# Installs the Debian 12 packages hop needs to build and test. Idempotent: it only calls apt-get when
# something is missing, and when not root it prints the exact command to run instead of guessing at sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3 curl
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsqlite3-dev libpq-dev libssl-dev libidn2-dev libqrencode-dev libpng-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# The build runs `npm ci` for the web UI. A Node.js from elsewhere (NodeSource, nvm) will do, and
# Debian's npm package would conflict with NodeSource's nodejs, so Debian's are only asked for when
# there is no npm at all.
if ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--test" ]]; then
  # nginx and wrk: the bench.smoke test runs bench/run.sh --smoke, which compares hop with nginx.
  # chromium: the browser tests drive it with Playwright, which never downloads a browser here.
  # clang with its sanitizer and libFuzzer runtimes, and llvm-symbolizer: the sanitizer build
  # (make test-asan, make fuzz).
  packages+=(postgresql nginx wrk chromium chromium-driver clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "hop needs these Debian packages, which are not installed. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
