#!/usr/bin/env bash
# lintian on the package: no error, and no warning that packaging/lintian-overrides does not
# explain (the overrides file is installed in the package, where lintian reads it).
# usage: lintian.sh PACKAGE_DIR
set -euo pipefail
exec 9>"${1%/}.lock"
flock 9 # see build-package.sh
deb=$(ls "$1"/rootline_*.deb)
lintian --fail-on error,warning --display-level ">=info" --show-overrides "$deb"
