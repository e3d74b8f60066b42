#!/bin/bash
# Live mode, host-tools mode only (LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1): make the
# target userspace bootable with this machine's runtime, the way the host-tools upgrade
# initramfs takes dracut and systemd from this machine. prepare_live_image runs it after
# leapp's payload is copied into the userspace and before the live system's own files
# (fstab, units, root, banner) are written.
#
#   host-runtime.sh USERSPACE STAGING
#
# Into STAGING (emptied first), with dracut-install -l (every library and shebang interpreter):
#   - the files of this machine's packages that boot a system and run the upgrade script:
#     systemd, systemd-sysv (/sbin/init), udev, util-linux, mount, kmod, coreutils, login, and
#     dracut with what it runs (the live system builds the target kernel's initramfs in
#     Finalization) (dpkg-query -L; documentation, manuals and translations left out);
#   - librpm's configuration (the interim actors link librpm, which reads it at start);
#   - the libraries of the ELF files of USERSPACE/usr/bin/leapp* and USERSPACE/usr/share/leapp
#     (leapp, leapp-msg and the interim actors: this machine's build).
# Then STAGING is merged over USERSPACE: the synthetic packages' stand-ins (text files in place
# of ld-linux, libc, systemctl, mount ...) are replaced; a file under /etc that the userspace
# already has is kept; the userspace's /usr/lib/dracut goes (this machine's dracut does not
# mix with the target's modules). The rpmdb of the userspace does not describe what came from here.
# Prints what it did; exits non-zero naming what failed.
set -u
US=${1:?usage: host-runtime.sh USERSPACE STAGING}
ST=${2:?usage: host-runtime.sh USERSPACE STAGING}
PKGS="systemd systemd-sysv udev util-linux mount kmod coreutils login dracut dracut-core cpio findutils grep sed mawk bash libc-bin procps"

fail() { echo "host-runtime: $*" >&2; exit 1; }

[ -d "$US/usr" ] || fail "$US is not a userspace (no usr/)"
DI=""
for d in /usr/lib/dracut/dracut-install /usr/libexec/dracut-install; do
    [ -x "$d" ] && DI=$d && break
done
[ -n "$DI" ] || fail "dracut-install is missing (Debian package dracut-core)"
command -v dpkg-query >/dev/null || fail "dpkg-query is missing: the host-tools live image takes the runtime from this machine's Debian packages"

rm -rf "$ST"
mkdir -p "$ST/usr/bin" "$ST/usr/sbin" "$ST/usr/lib" "$ST/usr/lib64" || fail "cannot make $ST"
# the merged /usr of the userspace (and of Debian 12): the top-level directories are links
for l in bin sbin lib lib64; do
    if [ -L "$US/$l" ]; then
        ln -s "$(readlink "$US/$l")" "$ST/$l" || fail "cannot link $ST/$l"
    fi
done

LIST=$ST.files
: >"$LIST" || fail "cannot write $LIST"
for p in $PKGS; do
    files=$(dpkg-query -L "$p" 2>/dev/null) || fail "the Debian package $p is not installed (scripts/install-deps.sh installs it)"
    printf '%s\n' "$files" | while IFS= read -r f; do
        case "$f" in
        /usr/share/doc/* | /usr/share/man/* | /usr/share/locale/* | /usr/share/info/* | /usr/share/lintian/* | \
            /usr/share/bash-completion/* | /usr/share/zsh/* | /usr/share/fish/* | /etc/init.d/* | /etc/rc?.d/*) continue ;;
        esac
        [ -d "$f" ] && continue
        [ -e "$f" ] || [ -L "$f" ] || continue
        printf '%s\n' "$f"
    done >>"$LIST"
done
for f in /usr/lib/rpm/rpmrc /usr/lib/rpm/macros /usr/lib/rpm/rpmpopt-* /usr/lib/rpm/macros.d/* \
    /usr/lib/rpm/platform/*/macros /etc/rpm/macros*; do
    [ -f "$f" ] && printf '%s\n' "$f" >>"$LIST"
done
n=$(sort -u "$LIST" | wc -l)
sort -u "$LIST" | xargs -d '\n' "$DI" -D "$ST" -l -o -a ||
    fail "dracut-install of $n files of $PKGS into $ST failed"

# leapp's ELF files: installed from where they are (their copies under $ST$US go afterwards),
# for their libraries
ELF=$ST.elf
find "$US/usr/bin" "$US/usr/share/leapp" -type f -perm -u+x -print 2>/dev/null |
    while IFS= read -r f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && printf '%s\n' "$f"
    done | grep -E "^$US/usr/(bin/leapp|share/leapp/)" >"$ELF"
e=$(wc -l <"$ELF")
if [ "$e" -gt 0 ]; then
    xargs -d '\n' "$DI" -D "$ST" -l -a <"$ELF" || fail "dracut-install of the libraries of leapp's $e programs failed"
fi
rm -rf "${ST:?}${US:?}" "$ELF" "$LIST"

# the userspace's own configuration wins
kept=0
while IFS= read -r -d '' f; do
    rel=${f#"$ST"}
    if [ -e "$US$rel" ] || [ -L "$US$rel" ]; then
        rm -f "$f" && kept=$((kept + 1))
    fi
done < <(find "$ST/etc" \( -type f -o -type l \) -print0 2>/dev/null)

# dracut is this machine's as a whole: none of the userspace's modules (its dracut package's)
# next to it
rm -rf "${US:?}/usr/lib/dracut"
cp -a --remove-destination "$ST/." "$US/" || fail "cannot merge $ST into $US"
total=$(find "$ST" \( -type f -o -type l \) | wc -l)
echo "host-runtime: $total files of this machine into $US ($PKGS, librpm's configuration, the libraries of leapp's $e programs); $kept files of /etc kept as the userspace has them"
rm -rf "$ST"
