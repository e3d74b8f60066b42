# The report keys of our checks, as leapp computes them (DESIGN §4): upstream's explicit key
# where upstream's actor sets one, else sha1("<severity>:sysadmin:<title>") (t_key).
# Sourced by tests/lib.sh; the names are the checks', the values what the reports carry.
K_LOW_MEMORY=be50646b45beb8304c13daf5380d836a4be8e1cc                  # upstream checkmemory
K_CPU_MICROARCH=0f48cdbe5aa2584e2ca7f4eb470b9b79da9e515d               # upstream checkmicroarchitecture
K_CPU_IBMZ=$(t_key high "The IBM Z machine is not supported by the target release")
K_THIRD_PARTY_PACKAGES=13f0791ae5f19f50e7d0d606fb6501f91b1efb2c        # upstream distributionsignedrpmcheck
K_REMOVED_DRIVER=f08a07da902958defa4f5c2699fae9ec2eb67c5b              # upstream checkdetecteddevicesanddrivers
K_DEPRECATED_DRIVER=0ff2413fd3cb0358736bf9be597f4dbdf58f2c4d           # upstream checkdetecteddevicesanddrivers
K_NO_UPGRADE_PATH=1c7a98849a747ec9890f04bf4321de7280970715             # upstream checkosrelease
K_LEFTOVER_PACKAGES=d424c3132ed78a8632b5c73d919909e453107c06           # upstream reportleftoverpackages
K_NFS_IN_FSTAB=$(t_key high "Use of NFS detected. Upgrade can't proceed")
K_NETWORK_FS_MOUNTED=$K_NFS_IN_FSTAB
K_CIFS=$(t_key high "Use of CIFS detected. Upgrade can't proceed")
K_NOT_NEWEST_KERNEL=$(t_key high "Newest installed kernel not in use")
K_BOOT_SPACE=$(t_key high "Not enough space on /boot")
K_SHA1_SIGNATURE=$(t_key high "Detected RPMs with RSA/SHA1 signature")
K_SELINUX_ENFORCING=$(t_key low "SElinux will be set to permissive mode")
K_SELINUX_RELABEL=$(t_key info "SElinux relabeling will be scheduled")
K_SELINUX_RELABEL_SCHEDULED=$(t_key info "SELinux relabeling has been scheduled")
K_DNF_EXCLUDES=$(t_key medium "Package excludes will apply to the upgrade")
K_SSHD_PERMITROOTLOGIN_DEFAULT=$(t_key medium "sshd_config will get an explicit PermitRootLogin yes")
K_UNSUPPORTED_ARCHITECTURE=$(t_key high "Unsupported architecture")
K_UPGRADE_TARGET_NOT_ALLOWED=$(t_key high "The requested target release is not allowed")
K_NO_OS_RELEASE=$(t_key high "Cannot identify the installed system")
K_PAM_PKCS11_REMOVAL=$(t_key medium "Module pam_pkcs11 will be removed from PAM configuration")
K_PAM_PKCS11_KEPT=$(t_key high "Module pam_pkcs11 must be removed from PAM configuration")
K_UNSATISFIED_DEPENDENCY=$(t_key high "The upgrade transaction cannot be solved (unsatisfied dependencies)")
K_TRANSACTION_OVERRIDES=$(t_key info "The admin's package lists change the upgrade transaction")
K_REPOSITORIES_WITHOUT_TARGET=$(t_key medium "Source repositories without a target repository")
K_TARGET_REPOSITORIES_MISSING=$(t_key medium "Target repositories from the repository map are missing")
K_MODULE_STREAMS_WITHOUT_TARGET=$(t_key high "Module streams without a target stream")
K_MODULE_STREAMS_MAPPED=$(t_key info "Module streams of the upgrade")
K_KERNEL_KEPT_AS_FALLBACK=$(t_key info "The installed kernel stays as a fallback")
K_TARGET_USERSPACE_PACKAGES_MISSING=$(t_key high "Packages the upgrade needs are missing from the target repositories")
K_MODULES_D_INVALID=$(t_key high "Invalid module state file")
K_TARGET_GPGKEY_UNREADABLE=$(t_key high "A GPG key of a target repository cannot be read")
K_DIALOG=$(t_key high "Missing required answers in the answer file")
# the key of an unknown fact's warning (actors/lib/facts.c) and of a data file's inhibitor
k_unknown_fact() { t_key low "Unknown system fact: $1"; }
K_DATA_FILE_UNREADABLE=$(t_key high "A data file leapp needs cannot be read")
K_DATA_FILE_MISSING=$(t_key high "A data file leapp needs is missing")
# k_sorted KEY...: the keys sorted and joined by spaces, as report_keys prints them
k_sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
# k_spec NAME: the key of a mksysroot spec's expected inhibitor or warning name
k_spec() { local v="K_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')"; printf '%s' "${!v:-$1}"; }
K_UPGRADE_INITRAMFS_HOST_DRACUT=$(t_key high "The upgrade initramfs was built with the host's dracut (unsupported)")
K_TARGET_INITRAMFS_NO_HOST_DRACUT=$(t_key high "The target kernel's initramfs could not be built (no host dracut)")
K_TARGET_KERNEL_ENTRY_CREATED=$(t_key medium "The target kernel's boot entry was missing")
K_TARGET_KERNEL_IMAGE_CREATED=$(t_key medium "The target kernel was missing from /boot")
K_TARGET_INITRAMFS_CREATED=$(t_key medium "The target kernel's initramfs was missing")
K_UPGRADE_INITRAMFS_BOOT_SPACE=$(t_key high "Not enough space in /boot for the upgrade initramfs")
K_LIVEMODE_BOOT_SPACE=$(t_key high "Not enough space in /boot for the live initramfs")
K_LIVEMODE_ENABLED=$(t_key high "Live upgrade mode is enabled")
K_LIVEMODE_DISK_SPACE=$(t_key high "Not enough disk space for the live image")
K_LIVEMODE_MEMORY=$(t_key high "Not enough memory for the live upgrade mode")
K_LIVEMODE_HOST_DRACUT=$(t_key high "The live initramfs was built with the host's dracut (unsupported)")
K_LIVEMODE_PASSWORDLESS_ROOT=$(t_key high "The live upgrade system lets root in without a password")
K_TARGET_REPO_UNUSABLE=$(t_key high "A target repository cannot be used")
K_PES_DATA_INVALID=$(t_key high "Invalid PES data file")
K_PES_UNKNOWN_REPOSITORY=$(t_key high "PES event names an unknown repository")
K_REPOMAP_INVALID=$(t_key high "Invalid repository map")
K_UNSIGNED_TARGET_PACKAGES=$(t_key high "Target packages are not signed")
K_BAD_PACKAGE_SIGNATURE=$(t_key high "Target packages have a bad signature")
K_UNTRUSTED_PACKAGE_SIGNATURE=$(t_key high "Target packages are signed with an untrusted key")
K_RPM_FILE_CONFLICT=$(t_key high "Target packages have conflicting files")
K_RPM_DISK_SPACE=$(t_key high "There is not enough space on some file systems to perform the upgrade transaction.")
K_RPM_DEPENDENCIES=$(t_key high "The RPM transaction has unmet dependencies")
K_RPM_PLAN_MISMATCH=$(t_key high "The RPM transaction differs from the plan")
K_RPM_TRANSACTION_TEST=$(t_key high "The RPM transaction test failed")
K_UPGRADE_SUMMARY=$(t_key info "The upgrade is complete")
K_RESUME_SERVICE_REMOVED=$(t_key info "leapp_resume.service removed")
K_SYSTEMD_UNITS_RENAMED=$(t_key info "Enabled services are renamed by the upgrade")
K_RPM_UPGRADE_OLD_KERNEL_KEPT=$(t_key info "The old kernel is kept")
