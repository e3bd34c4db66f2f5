#!/usr/bin/env bash
# Installs the Debian packages cxgov needs, when they are missing and we may install (root or sudo).
#   base  : WeasyPrint's libraries and fonts, gettext (to compile the translations)
#   test  : + chromium (browser tests), poppler-utils (PDF checks)
set -euo pipefail
profile=${1:-base}
PKGS="gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2"
if [ "$profile" = "test" ]; then
  PKGS="$PKGS chromium poppler-utils"
fi
command -v dpkg >/dev/null 2>&1 || { echo "Not a Debian system: install the equivalents of: $PKGS"; exit 0; }
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | xargs)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Please install these Debian packages: $missing"; exit 1
fi
echo "Installing system packages: $missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
