# What identifies a Rootline release, in one place. The version itself is project(VERSION) in the
# top-level CMakeLists.txt; everything that shows it (the binaries, the Debian package, the
# changelog, the AppStream metadata, the manual pages) reads PROJECT_VERSION.
#
# The date of the release named by PROJECT_VERSION: a fact about the release, never the build's
# date, so that two builds of one version produce the same package.
set(ROOTLINE_RELEASE_DATE 2026-12-07)
# The project has no public home or registered domain yet. These placeholders use the reserved
# .example domain (RFC 2606) rather than borrowing someone else's; change them here when it does.
set(ROOTLINE_HOMEPAGE "https://rootline.example/" CACHE STRING "Rootline's web site (AppStream, package Homepage)")
set(ROOTLINE_APP_ID "example.rootline.rootline" CACHE STRING "The reverse-DNS AppStream component id")
set(ROOTLINE_MAINTAINER "Rootline maintainers <maintainers@users.noreply.r-seed-0bcb2484.example>"
    CACHE STRING "The Debian Maintainer field: who answers for the package")
