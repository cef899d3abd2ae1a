#!/usr/bin/env bash
# Package a Linux one-folder build (packaging/build.sh runs this) into dist/:
#   cloudref-linux-<arch>.tar.gz   unpacks to cloudref/, which installs itself (install-linux.sh)
#   cloudref_<version>_<debarch>.deb   /opt/cloudref, /usr/bin/cloudref, menu entry, icons,
#                                      AppStream data; Depends from the libraries it links
#   SHA256SUMS                     for both (sha256sum -c SHA256SUMS)
# Reproducible: entries sorted, owner and group 0, every time SOURCE_DATE_EPOCH (by default the
# last commit's date), gzip without name or time, so two builds of one commit are identical.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-dist/cloudref}
APP_ID=io.github.cloudref.Cloudref
PYTHON=${PYTHON:-python3}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export TZ=UTC LC_ALL=C
version="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)"
arch="$(uname -m)"
debarch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
stamp="@$SOURCE_DATE_EPOCH"

# Same tree for everyone: no group/other write bits, libraries not executable, times from the
# commit.
chmod -R u+rwX,go+rX,go-w "$APP"
find "$APP/_internal" -type f -name '*.so*' -exec chmod 644 {} +
find "$APP" -exec touch -h -d "$stamp" {} +

reproducible_tar() {  # DIR NAME... -> stdout
    local dir=$1; shift
    tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner --mtime="$stamp" \
        --format=gnu -cf - "$@"
}

archive="dist/cloudref-linux-$arch.tar.gz"
reproducible_tar "$(dirname "$APP")" "$(basename "$APP")" | gzip -n -9 > "$archive"
echo "build: $archive  $(du -h "$archive" | cut -f1)" >&2

# --- the .deb
deb="dist/cloudref_${version}_${debarch}.deb"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/doc/cloudref" "$root/DEBIAN"
cp -a "$APP" "$root/opt/cloudref"
rm -rf "$root/opt/cloudref/share" "$root/opt/cloudref/install-linux.sh"  # the .deb puts them in /usr
cp -a "$APP/share/." "$root/usr/share/"
ln -s /opt/cloudref/cloudref "$root/usr/bin/cloudref"
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: Cloudref"
    echo "Comment: The third-party components in /opt/cloudref/_internal, their licences and"
    echo " how to replace the Qt libraries: /opt/cloudref/_internal/THIRD-PARTY-NOTICES and"
    echo " /opt/cloudref/_internal/licenses/."
    echo
    echo "Files: *"
    echo "Copyright: Cloudref developers"
    echo "License: MIT"
    sed -e 's/^$/./' -e 's/^/ /' LICENSE
} > "$root/usr/share/doc/cloudref/copyright"
printf 'cloudref (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Cloudref developers <cloudref@users.noreply.github.com>  %s\n' \
    "$version" "$version" "$(date -u -d "$stamp" -R)" | gzip -n -9 > "$root/usr/share/doc/cloudref/changelog.gz"
deps="$("$PYTHON" packaging/bundle_elf.py depends "$APP")"
installed_kib=$(du -sk --apparent-size "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: cloudref
Version: $version
Architecture: $debarch
Maintainer: Cloudref developers <cloudref@users.noreply.github.com>
Installed-Size: $installed_kib
$deps
Section: text
Priority: optional
Description: keyboard-driven desktop reference viewer for Markdown notes
 Cloudref reads, searches and prints libraries of Markdown notes, with diagrams
 drawn as vectors and side-by-side comparison tables. It ships with study notes
 on AWS containers and serverless.
CONTROL
chmod -R u+rwX,go+rX,go-w "$root"
find "$root" -exec touch -h -d "$stamp" {} +
dpkg-deb --root-owner-group -Zgzip -z9 --build "$root" "$deb" > /dev/null
echo "build: $deb  $(du -h "$deb" | cut -f1)" >&2

(cd dist && sha256sum "$(basename "$archive")" "$(basename "$deb")" > SHA256SUMS)
echo "build: dist/SHA256SUMS" >&2
