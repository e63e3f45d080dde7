#!/usr/bin/env bash
# Unpacks the Debian package into a scratch root (dpkg-deb -x, no root rights, no dpkg database)
# and checks what an installed copy must do, running only what the package installed:
# its files, its control fields, `rootline-cli --version` and `sample`, the manual pages, and
# `rootline --screenshot` on the installed sample and on the start page.
# usage: check-installed.sh PACKAGE_DIR VERSION APP_ID SCREENSHOT_DIR
set -euo pipefail
dir=$(realpath "$1") version=$2 app_id=$3 shots=$(realpath -m "$4")
exec 9>"$dir.lock"
flock 9 # see build-package.sh
fail() { echo "FAIL: $*" >&2; exit 1; }

debs=("$dir"/rootline_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one rootline_*.deb in $dir, found: ${debs[*]}"
deb=${debs[0]}
[ "$(basename "$deb")" = "rootline_${version}_amd64.deb" ] || fail "package file name $(basename "$deb"), expected rootline_${version}_amd64.deb"

# -- control fields --------------------------------------------------------------------------------
[ "$(dpkg-deb -f "$deb" Package)" = rootline ] || fail "Package field"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version field $(dpkg-deb -f "$deb" Version), expected $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6widgets6 libsqlite3-0 libcurl4 libsimdjson; do
    grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib (dpkg-shlibdeps): $depends"
done
! grep -q prometheus <<<"$depends" || fail "prometheus must be a Suggests, not a Depends: $depends"
grep -qw prometheus <<<"$(dpkg-deb -f "$deb" Suggests)" || fail "Suggests lacks prometheus"

# -- files -----------------------------------------------------------------------------------------
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
for f in usr/bin/rootline usr/bin/rootline-cli \
         usr/share/rootline/sample-incident.rootline usr/share/rootline/sample-incident-files/README.md \
         usr/share/applications/rootline.desktop "usr/share/metainfo/$app_id.metainfo.xml" \
         usr/share/mime/packages/rootline.xml usr/share/icons/hicolor/scalable/apps/rootline.svg \
         usr/share/icons/hicolor/{48x48,64x64,128x128,256x256}/apps/rootline.png \
         usr/share/man/man1/rootline.1.gz usr/share/man/man1/rootline-cli.1.gz \
         usr/share/doc/rootline/copyright usr/share/doc/rootline/changelog.gz; do
    [ -s "$root/$f" ] || fail "the package does not install /$f"
done
for size in 48 64 128 256; do
    file "$root/usr/share/icons/hicolor/${size}x${size}/apps/rootline.png" | grep -q "$size x $size" || fail "the ${size} px icon is not ${size}x${size}"
done
grep -q "^License: MIT" "$root/usr/share/doc/rootline/copyright" || fail "copyright states no MIT licence"
for bin in rootline rootline-cli; do
    ! readelf -d "$root/usr/bin/$bin" | grep -qE 'RPATH|RUNPATH' || fail "$bin carries a library search path (from the build tree?)"
done

# -- running from the scratch root -----------------------------------------------------------------
# Nothing of the build tree on the way: a scratch home and XDG folders, no library path.
export HOME="$root/home" XDG_CONFIG_HOME="$root/home/.config" XDG_DATA_HOME="$root/home/.local/share"
export XDG_CACHE_HOME="$root/home/.cache" XDG_RUNTIME_DIR="$root/run" QT_QPA_PLATFORM=offscreen TZ=UTC
unset LD_LIBRARY_PATH
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$root"

out=$("$root/usr/bin/rootline-cli" --version) || fail "rootline-cli --version exited $?"
grep -qx "rootline-cli $version" <<<"$out" || fail "rootline-cli --version printed: $out"
"$root/usr/bin/rootline-cli" sample --out "$root/sample.rootline" --json > "$root/sample.json" || fail "rootline-cli sample exited $?"
grep -q '"spans"' "$root/sample.json" || fail "rootline-cli sample printed: $(cat "$root/sample.json")"
stats=$("$root/usr/bin/rootline-cli" stats --json --cache "$root/usr/share/rootline/sample-incident.rootline") || fail "stats on the installed sample exited $?"
grep -q "\"checkout\"" <<<"$stats" || fail "the installed sample lacks the checkout service: $stats"
[ "$("$root/usr/bin/rootline" --version)" = "rootline $version" ] || fail "rootline --version printed: $("$root/usr/bin/rootline" --version)"

mkdir -p "$shots"
rm -f "$shots"/installed-*.png
"$root/usr/bin/rootline" --screenshot "$shots/installed-sample.png" --size 1600x1000 "$root/usr/share/rootline/sample-incident.rootline" \
    || fail "rootline --screenshot on the installed sample exited $?"
"$root/usr/bin/rootline" --screenshot "$shots/installed-start.png" --size 1600x1000 || fail "rootline --screenshot with no FILE exited $?"
for png in installed-sample installed-start; do
    file "$shots/$png.png" | grep -q "1600 x 1000" || fail "$png.png is not a 1600x1000 PNG: $(file "$shots/$png.png")"
done

# -- manual pages: render without a groff warning, and hold every command --------------------------
# man-db's seccomp sandbox refuses what libfaketime does in its filters (CI moves the clock).
export MAN_DISABLE_SECCOMP=1
for page in rootline rootline-cli; do
    warnings=$(MANWIDTH=100 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man $page: $warnings"
done
text=$(MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$root/usr/share/man/man1/rootline-cli.1.gz" 2>/dev/null | col -b)
for command in import fetch investigate export sample stats; do
    grep -qx "${command^^}" <<<"$text" || fail "rootline-cli(1) has no section for $command"
done
# The manual documents exactly what --help prints: every option of every command is in its section.
section() { awk -v h="$1" '$0 == h {on = 1; next} on && /^[A-Z][A-Z ]+$/ {exit} on' <<<"$text"; }
for command in import fetch investigate export sample stats; do
    body=$(section "${command^^}")
    for option in $("$root/usr/bin/rootline-cli" "$command" --help | grep -oE '^  --[a-z-]+'); do
        grep -q -- "$option" <<<"$body" || fail "rootline-cli(1) section ${command^^} lacks $option, which rootline-cli $command --help lists"
    done
done
gui=$(MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$root/usr/share/man/man1/rootline.1.gz" 2>/dev/null | col -b)
for option in $("$root/usr/bin/rootline" --help | grep -oE '^  --[a-z-]+' | grep -v -- --help-all); do
    grep -q -- "$option" <<<"$gui" || fail "rootline(1) lacks $option, which rootline --help lists"
done
echo "package $deb installs and runs from a scratch root"
