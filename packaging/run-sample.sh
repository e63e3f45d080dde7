#!/usr/bin/env bash
# Installs what Rootline needs, builds it, and opens the bundled sample incident.
# With no display, rootline says so and writes a screenshot instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target rootline sample_incident
exec ./build/bin/rootline --bundle build/resources/sample-incident.rootline "$@"
