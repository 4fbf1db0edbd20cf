#!/usr/bin/env bash
# Fetches the real detector model and sample video that EdgeTune's tests and
# demo use, from the npm registry and Debian's archive, verifies their SHA-256
# and caches them outside the build tree.
#
#   fetch-assets.sh [cache-dir]      (default: $EDGETUNE_ASSETS or ~/.cache/edgetune)
#
# Needs: npm (for @mediapipe/objectron), apt-get (for opencv-doc; package
# lists must be current: run `apt-get update` once), dpkg-deb, sha256sum.
# Exits non-zero with a message naming what failed; never leaves a file
# with a wrong checksum in the cache.
set -euo pipefail

CACHE="${1:-${EDGETUNE_ASSETS:-$HOME/.cache/edgetune}}"

MODEL=ssd_mobilenetv2_oidv4_fp16.tflite
MODEL_SHA=d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6
LABELS=oidv4_labelmap.txt
NPM_PKG=@mediapipe/objectron@0.4.1675468480
PACKED=objectron_solution_packed_assets.data
# Offsets come from objectron_solution_packed_assets_loader.js in that package.
LABELS_START=0; LABELS_END=184
MODEL_START=184; MODEL_END=9987912

VIDEO=vtest.avi
VIDEO_SHA=45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf
DEB_PKG=opencv-doc
DEB_VERSION=4.6.0+dfsg-12
VIDEO_PATH_IN_DEB=usr/share/doc/opencv-doc/examples/data/vtest.avi

fail() { echo "fetch-assets: ERROR: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; $2"; }
slice() { dd if="$1" of="$4" bs=64K skip="$2" count=$(($3 - $2)) iflag=skip_bytes,count_bytes status=none; }
sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

mkdir -p "$CACHE" || fail "cannot create cache directory $CACHE"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/edgetune-assets.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fetch_model() {
  if sha_ok "$CACHE/$MODEL" "$MODEL_SHA" && [ -s "$CACHE/$LABELS" ]; then
    echo "fetch-assets: model cached: $CACHE/$MODEL"; return
  fi
  need npm "install Node.js and npm (Debian: apt-get install npm)"
  echo "fetch-assets: downloading $NPM_PKG from the npm registry"
  (cd "$WORK" && npm pack --silent "$NPM_PKG" >/dev/null 2>"$WORK/npm.err") \
    || fail "npm pack $NPM_PKG failed: $(tail -3 "$WORK/npm.err")"
  tar -xzf "$WORK"/mediapipe-objectron-*.tgz -C "$WORK" \
    || fail "cannot unpack the npm tarball of $NPM_PKG"
  local data="$WORK/package/$PACKED"
  [ -f "$data" ] || fail "$PACKED is missing from $NPM_PKG"
  # Both ranges are fixed by the loader script of this exact package version.
  slice "$data" $MODEL_START $MODEL_END "$WORK/$MODEL"
  slice "$data" $LABELS_START $LABELS_END "$WORK/$LABELS"
  sha_ok "$WORK/$MODEL" "$MODEL_SHA" \
    || fail "extracted model has SHA-256 $(sha256sum "$WORK/$MODEL" | cut -d' ' -f1), expected $MODEL_SHA"
  mv "$WORK/$LABELS" "$CACHE/$LABELS"
  mv "$WORK/$MODEL" "$CACHE/$MODEL"
  echo "fetch-assets: model verified: $CACHE/$MODEL"
}

fetch_video() {
  if sha_ok "$CACHE/$VIDEO" "$VIDEO_SHA"; then
    echo "fetch-assets: video cached: $CACHE/$VIDEO"; return
  fi
  need apt-get "the sample video comes from Debian's $DEB_PKG package"
  need dpkg-deb "the sample video comes from Debian's $DEB_PKG package"
  echo "fetch-assets: downloading Debian package $DEB_PKG=$DEB_VERSION"
  if ! (cd "$WORK" && apt-get download "$DEB_PKG=$DEB_VERSION" >"$WORK/apt.log" 2>&1); then
    # A fresh machine has no package lists yet; refresh once when we may.
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null 2>&1 || true
      (cd "$WORK" && apt-get download "$DEB_PKG=$DEB_VERSION" >"$WORK/apt.log" 2>&1) \
        || fail "apt-get download $DEB_PKG=$DEB_VERSION failed: $(tail -3 "$WORK/apt.log")"
    else
      fail "apt-get download $DEB_PKG=$DEB_VERSION failed (run 'sudo apt-get update' first): $(tail -3 "$WORK/apt.log")"
    fi
  fi
  dpkg-deb -x "$WORK"/${DEB_PKG}_*.deb "$WORK/deb" || fail "cannot unpack the $DEB_PKG package"
  [ -f "$WORK/deb/$VIDEO_PATH_IN_DEB" ] || fail "$VIDEO_PATH_IN_DEB is missing from $DEB_PKG"
  sha_ok "$WORK/deb/$VIDEO_PATH_IN_DEB" "$VIDEO_SHA" \
    || fail "vtest.avi has SHA-256 $(sha256sum "$WORK/deb/$VIDEO_PATH_IN_DEB" | cut -d' ' -f1), expected $VIDEO_SHA"
  mv "$WORK/deb/$VIDEO_PATH_IN_DEB" "$CACHE/$VIDEO"
  echo "fetch-assets: video verified: $CACHE/$VIDEO"
}

fetch_model
fetch_video
echo "fetch-assets: assets ready in $CACHE"
