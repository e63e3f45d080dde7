#!/usr/bin/env bash
# Builds the Debian package of an already built tree into OUT, as a user would (`cpack -G DEB`),
# but without touching the build directory's own _CPack_Packages or package files.
# usage: build-package.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1 out=$2
# Two ctest runs in one build tree (several people, one build directory) share this folder: one at
# a time builds, checks or installs from it.
exec 9>"${out%/}.lock"
flock 9
rm -rf "$out"
mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" > "$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
ls "$out"/*.deb
