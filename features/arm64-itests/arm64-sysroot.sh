#!/bin/bash
# Builds a private arm64 root for the arm64 tests in $1: Debian's arm64 JRE and the system libraries the
# linux-arm64 natives load, plus the static qemu-aarch64 that runs them. Nothing is installed on the host:
# installing the Multi-Arch arm64 JRE with apt made apt upgrade the host's own JDK (and ~60 other amd64
# packages) to the archive's newer version in the middle of the build, and the running JVMs could no longer
# start processes. The packages come from Debian's archive through apt, which checks them against the
# signed package lists; their names and versions are written to $1/packages.txt.
set -euo pipefail

dest=${1:?usage: arm64-sysroot.sh DIR}
[ -f "$dest/packages.txt" ] && exit 0

# the JRE and what bytedeco's arm64 natives link from the system: libva-drm (FFmpeg's libavutil),
# PulseAudio (libavdevice) and GTK 2 (OpenCV's highgui); a Pi needs the same packages
roots="openjdk-17-jre-headless:arm64 libva-drm2:arm64 libpulse0:arm64 libgtk2.0-0:arm64"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
fi
if ! apt-cache show openjdk-17-jre-headless:arm64 > /dev/null 2>&1; then
    apt-get update -q
fi

closure() {
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
        --no-enhances $roots | grep -v '^ ' | grep ':arm64$' | sort -u
}

mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$dest.part.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/debs" "$tmp/root" "$tmp/qemu"
# apt-get download fails on lists older than the archive (a 404 for a replaced version): one update, one retry
if ! (cd "$tmp/debs" && apt-get download -q $(closure) qemu-user-static); then
    apt-get update -q
    rm -f "$tmp"/debs/*
    (cd "$tmp/debs" && apt-get download -q $(closure) qemu-user-static)
fi

for deb in "$tmp"/debs/*.deb; do
    dpkg-deb -f "$deb" Package Version Architecture | paste -sd' ' >> "$tmp/packages.part"
    case "$(basename "$deb")" in
        qemu-user-static_*) dpkg-deb -x "$deb" "$tmp/qemu" ;;
        *) dpkg-deb -x "$deb" "$tmp/root" ;;
    esac
done
mv "$tmp/qemu/usr/bin/qemu-aarch64-static" "$tmp/qemu-aarch64-static"
rm -rf "$tmp/debs" "$tmp/qemu"

# qemu's -L prefixes the paths the program opens, but the host kernel follows symlinks: an absolute link
# (the JRE's conf and security files point into /etc/java-17-openjdk) would lead to the host's files,
# so each becomes a relative link inside the root
find "$tmp/root" -type l | while read -r link; do
    target=$(readlink "$link")
    if [ "${target#/}" != "$target" ]; then
        ln -sfnr "$tmp/root$target" "$link"
    fi
done

"$tmp/qemu-aarch64-static" -L "$tmp/root" "$tmp/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java" -version
for lib in libva-drm.so.2 libpulse.so.0 libgtk-x11-2.0.so.0; do
    [ -e "$tmp/root/usr/lib/aarch64-linux-gnu/$lib" ] || { echo "arm64 root lacks $lib" >&2; exit 1; }
done

sort "$tmp/packages.part" > "$tmp/packages.txt.new" && rm "$tmp/packages.part"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
# written last: its presence says the root is complete
mv "$dest/packages.txt.new" "$dest/packages.txt"
