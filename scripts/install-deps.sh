#!/bin/sh
# Install every build and test dependency on Debian 12 with apt-get; safe to run again.
# (ansible-core and openssh-server: the fleet tests, tests/fleet. The last line: the packages whose files the host-tools live image boots with,
# livemode/files/host-runtime.sh; most are on every Debian system, named so that they are.)
set -eu

PKGS="
build-essential pkg-config git ca-certificates
libuv1-dev libmsgpack-dev libyaml-dev libsqlite3-dev sqlite3 libjansson-dev
librpm-dev libsolv-dev libsolvext-dev libmount-dev libblkid-dev
libcurl4-openssl-dev libseccomp-dev libcap-dev libmodulemd-dev libinih-dev libglib2.0-dev
libcmocka-dev clang libclang-rt-14-dev
rpm createrepo-c db5.3-util busybox-static gnupg cpio xz-utils zstd
dracut dracut-core dracut-live dracut-squash dracut-network squashfs-tools e2fsprogs grub-common rpm2cpio
qemu-system-x86 linux-image-cloud-amd64 cryptsetup-bin lvm2 network-manager
dnf python3-dnf
python3 python3-jsonschema python3-yaml jq python3-gi gir1.2-modulemd-2.0
iproute2 procps psmisc util-linux
ansible-core openssh-server openssh-client shellcheck
systemd systemd-sysv udev mount kmod coreutils login findutils grep sed mawk bash libc-bin
"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
