#!/usr/bin/env bash
# Installs everything Rootline needs to build, run and test on Debian 12.
# Idempotent: packages already present are left alone, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # libraries
  qt6-base-dev qt6-base-dev-tools libqt6svg6 libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libcurl4-openssl-dev nlohmann-json3-dev libsimdjson-dev
  libsqlite3-dev sqlite3 libre2-dev libarchive-dev libyaml-cpp-dev
  libzstd-dev zlib1g-dev qtkeychain-qt6-dev libssl-dev
  # the Debian package: icons drawn from the SVG, dpkg-shlibdeps, and the checks of the package
  # (lintian, appstreamcli, desktop-file-validate, update-mime-database, man, file, col)
  librsvg2-bin dpkg-dev lintian appstream desktop-file-utils shared-mime-info man-db file bsdextrautils
  # running the GUI headless, screenshots, and the real-Prometheus tests
  xvfb xauth fonts-dejavu-core prometheus
  # the live-investigation tests: a real Alertmanager (0.25) that the real Prometheus sends to
  prometheus-alertmanager
  # moving the clock in CI (.ci/run: no test may depend on today's date)
  faketime
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
