#!/bin/sh
# The .deb packages of a build tree: cpack builds them (into a temporary directory), each holds
# its files and no other package's, Depends are computed from the binaries and every package
# named there is in the runtime list of scripts/debian-packages.txt, the configs are conffiles,
# the maintainer scripts are valid sh, and the sysusers/tmpfiles files create the users and
# directories in a scratch root. Usage: test_debs.sh BUILD_DIR SOURCE_DIR VERSION
build=$1
src=$2
version=$3
for tool in cpack dpkg-deb dpkg-shlibdeps; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIPPED: $tool is missing (apt-get install cmake dpkg-dev)"
        exit 0
    fi
done
arch=$(dpkg --print-architecture)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

# --- build ---------------------------------------------------------------------------------
if ! (cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1); then
    cat "$out/cpack.log"
    fail "cpack failed"
    exit 1
fi
for pkg in ksd-kiosk ksd-server ksd-content; do
    deb="$out/${pkg}_${version}_${arch}.deb"
    if [ ! -f "$deb" ]; then
        ls "$out"
        fail "$deb was not built"
        exit 1
    fi
    dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's,^\./,/,' >"$out/$pkg.files"
    dpkg-deb -e "$deb" "$out/$pkg.control"
done

# --- contents ------------------------------------------------------------------------------
expect() { # PKG PATH...: each PATH is in PKG and in no other package
    pkg=$1
    shift
    for path in "$@"; do
        grep -qx "$path" "$out/$pkg.files" || fail "$pkg lacks $path"
        for other in ksd-kiosk ksd-server ksd-content; do
            if [ "$other" != "$pkg" ] && grep -qx "$path" "$out/$other.files"; then
                fail "$path is in $other too"
            fi
        done
    done
}
expect ksd-kiosk /usr/bin/ksd-kiosk /usr/bin/ksd-sync /usr/bin/ksd-setup \
    /usr/lib/systemd/system/ksd-kiosk.service /usr/lib/systemd/system/ksd-sync.service \
    /usr/lib/systemd/system/ksd-setup.service /usr/share/doc/ksd-kiosk/ksd.toml \
    /usr/lib/sysusers.d/ksd.conf /usr/lib/tmpfiles.d/ksd.conf \
    /etc/ksd/kiosk.toml /etc/ksd/sync.toml \
    /usr/share/ksd/ksd-demo.pack /usr/share/ksd/ksd-demo.pack.minisig /usr/share/ksd/ksd-demo.pub \
    /usr/share/doc/ksd-kiosk/README.md
expect ksd-server /usr/bin/ksd-server /usr/lib/systemd/system/ksd-server.service \
    /usr/lib/sysusers.d/ksd-server.conf /usr/lib/tmpfiles.d/ksd-server.conf /etc/ksd/server.toml \
    /usr/share/doc/ksd-server/nginx-ksd-server.conf /usr/share/doc/ksd-server/PROTOCOL.md
expect ksd-content /usr/bin/ksd-content /usr/share/doc/ksd-content/FORMAT.md
# Debian policy 12.5 and 12.7: every package has its copyright file and its changelog.gz (a
# native package's own changelog), named after the package and the version.
for pkg in ksd-kiosk ksd-server ksd-content; do
    expect $pkg /usr/share/doc/$pkg/copyright /usr/share/doc/$pkg/changelog.gz
    deb="$out/${pkg}_${version}_${arch}.deb"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/$pkg/copyright 2>/dev/null \
        | grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
        || fail "$pkg: /usr/share/doc/$pkg/copyright is not a machine-readable copyright file"
    first=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/$pkg/changelog.gz 2>/dev/null \
        | gzip -dc 2>/dev/null | head -n 1)
    case $first in
    "$pkg ($version) "*) ;;
    *) fail "$pkg: changelog.gz does not start with '$pkg ($version)': '$first'" ;;
    esac
done
# No regular file twice across packages (dpkg would refuse to install them side by side).
sort "$out"/*.files | grep -v '/$' | uniq -d >"$out/dup"
[ -s "$out/dup" ] && fail "in two packages: $(cat "$out/dup")"
# Nothing outside the usual places (a build path or /usr/local would mean a wrong install rule).
grep -v '/$' "$out"/*.files | grep -Ev ':/(usr/(bin|share|lib/(systemd/system|sysusers\.d|tmpfiles\.d))|etc/ksd)/' \
    && fail "files outside /usr/bin, /usr/share, /usr/lib/{systemd,sysusers.d,tmpfiles.d}, /etc/ksd"
# The example configs are the programs' documented defaults, not empty files.
dpkg-deb --fsys-tarfile "$out/ksd-kiosk_${version}_${arch}.deb" | tar -xO ./etc/ksd/kiosk.toml \
    | grep -q '^rotation = ' || fail "/etc/ksd/kiosk.toml does not document screen.rotation"

# --- Depends -------------------------------------------------------------------------------
runtime=$(grep -v '^[[:space:]]*#' "$src/scripts/debian-packages.txt" | awk '$2 == "runtime" {print $1}')
# Virtual names the runtime packages provide count too (libphonenumber8 provides
# libphonenumber8-protobuf32); read from the installed packages (setup.sh installs the list).
# shellcheck disable=SC2086
runtime="$runtime
$(dpkg-query -W -f='${Provides}\n' $runtime 2>/dev/null | tr ',' '\n' | sed 's/(.*//; s/ //g' | grep .)"
for pkg in ksd-kiosk ksd-server ksd-content; do
    depends=$(dpkg-deb -f "$out/${pkg}_${version}_${arch}.deb" Depends)
    echo "$pkg Depends: $depends"
    # Every alternative group needs one package of the runtime list (what the image installs).
    echo "$depends" | tr ',' '\n' | while read -r group; do
        [ -z "$group" ] && continue
        found=0
        for alt in $(echo "$group" | sed 's/([^)]*)//g; s/|/ /g'); do
            echo "$runtime" | grep -qx "${alt%%:*}" && found=1
        done
        [ $found = 1 ] || echo "$pkg: '$group' is not in the runtime list of scripts/debian-packages.txt"
    done >"$out/missing"
    [ -s "$out/missing" ] && fail "$(cat "$out/missing")"
done
need() { # PKG DEP...: DEP is named in PKG's Depends
    pkg=$1
    shift
    depends=$(dpkg-deb -f "$out/${pkg}_${version}_${arch}.deb" Depends)
    for dep in "$@"; do
        echo "$depends" | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | grep -qx "$dep" \
            || fail "$pkg does not depend on $dep"
    done
}
need ksd-kiosk libc6 libtomlplusplus3 libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 libsqlite3-0 \
    fonts-open-sans espeak-ng systemd
need ksd-server libc6 libtomlplusplus3 libcpp-httplib0.11 libsqlite3-0 libsodium23
need ksd-content libc6 libtomlplusplus3

# --- conffiles and maintainer scripts ------------------------------------------------------
for pkg in ksd-kiosk ksd-server; do
    ctl="$out/$pkg.control"
    # Every file shipped in /etc is a conffile (dpkg then keeps an edited one on upgrade).
    grep '^/etc/.*[^/]$' "$out/$pkg.files" | while read -r f; do
        grep -qx "$f" "$ctl/conffiles" 2>/dev/null || echo "$pkg: $f is not a conffile"
    done >"$out/noconf"
    [ -s "$out/noconf" ] && fail "$(cat "$out/noconf")"
    for script in postinst prerm postrm; do
        [ -x "$ctl/$script" ] || fail "$pkg has no executable $script"
        sh -n "$ctl/$script" || fail "$pkg $script is not valid sh"
        grep -q '@[A-Z]*@' "$ctl/$script" && fail "$pkg $script has an unreplaced @VAR@"
    done
    grep -q 'systemd-sysusers' "$ctl/postinst" || fail "$pkg postinst does not create its users"
    grep -q "deb-systemd-helper" "$ctl/postinst" || fail "$pkg postinst does not enable its units"
done

# --- users and directories, applied to a scratch root (needs root for the chown) ------------
if [ "$(id -u)" -eq 0 ] && command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
    root="$out/root"
    mkdir -p "$root/etc"
    for pkg in ksd-kiosk ksd-server; do
        dpkg-deb -x "$out/${pkg}_${version}_${arch}.deb" "$root"
    done
    touch "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" "$root/etc/gshadow"
    systemd-sysusers --root="$root" >"$out/sysusers.log" 2>&1 || fail "systemd-sysusers: $(cat "$out/sysusers.log")"
    for user in ksd-kiosk ksd-sync ksd-server; do
        grep -q "^$user:" "$root/etc/passwd" || fail "no user $user after systemd-sysusers"
    done
    grep -q '^ksd:' "$root/etc/group" || fail "no group ksd after systemd-sysusers"
    systemd-tmpfiles --root="$root" --create >"$out/tmpfiles.log" 2>&1 \
        || fail "systemd-tmpfiles: $(cat "$out/tmpfiles.log")"
    for dir in /var/lib/ksd /var/lib/ksd-server; do
        [ -d "$root$dir" ] || fail "$dir not created by systemd-tmpfiles"
    done
else
    echo "note: users/directories not applied (needs root, systemd-sysusers, systemd-tmpfiles)"
fi

[ $failed = 0 ] && echo "ok: ksd-kiosk, ksd-server, ksd-content ${version} ${arch}"
exit $failed
