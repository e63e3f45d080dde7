#!/usr/bin/env bash
# Installs what Rootline needs, builds everything, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build
ctest --test-dir build --output-on-failure --parallel 2 --timeout 600
