#!/usr/bin/env bash
# Installs the validators the test suite runs against generated files (see README,
# "Validators"). Idempotent: skips whatever is already present. Needs root (apt-get).
set -euo pipefail

need=()
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
command -v yamllint >/dev/null 2>&1 || need+=(yamllint)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v git >/dev/null 2>&1 || need+=(git)

updated=0
apt_update() { if [ "$updated" = 0 ]; then apt-get update -qq; updated=1; fi; }

if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# promtool alone: the Debian prometheus package is 330 MB with its dependencies, but
# promtool is one static binary inside it, so unpack just that.
if ! command -v promtool >/dev/null 2>&1; then
  echo "installing: promtool (from the Debian prometheus package)"
  apt_update
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq prometheus >/dev/null 2>&1 && dpkg-deb -x prometheus_*.deb root)
  install -m 0755 "$tmp/root/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$tmp"
fi

for t in shellcheck yamllint amtool promtool kubectl terraform; do
  if command -v "$t" >/dev/null 2>&1; then printf '  %-10s %s\n' "$t" "$(command -v "$t")"; else printf '  %-10s missing\n' "$t"; fi
done
