#!/bin/sh
# Make sure Chromium is at $CHROMIUM (default /usr/bin/chromium) for `make test-browser`.
# Playwright's own browser download is not used: the test drives this Chromium. Where it is missing and apt-get
# exists, install Debian's chromium package (as root, or through sudo); elsewhere say what to do.
set -eu
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test-browser: no Chromium at $CHROMIUM and no apt-get to install it." >&2
    echo "Install Chromium or Google Chrome, then run: make test-browser CHROMIUM=/path/to/chromium" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "make test-browser: no Chromium at $CHROMIUM; installing Debian's chromium package with apt-get"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium </dev/null
if [ ! -x "$CHROMIUM" ]; then
    echo "make test-browser: apt-get installed chromium, but $CHROMIUM is still missing (set CHROMIUM=...)" >&2
    exit 1
fi
