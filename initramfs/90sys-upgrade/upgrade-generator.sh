#!/bin/sh
# systemd generator of the upgrade initramfs: boot to upgrade.target instead of initrd.target.
# systemd starts initrd.target in an initramfs (default.target elsewhere): both become aliases
# of upgrade.target, in the early directory so that they win over the units in /usr/lib.
early=${2:-$1}
[ -n "$early" ] && [ -d "$early" ] || exit 0
target=/usr/lib/systemd/system/upgrade.target
[ -e "$target" ] || target=/lib/systemd/system/upgrade.target
ln -sf "$target" "$early/initrd.target"
ln -sf "$target" "$early/default.target"
exit 0
