"""Distribution profiles: the names, repositories and release files a spec gets by default.

A spec names a profile with distro.id; every value here can be overridden in the spec
(repos, release names...). The repo ids and pesids follow the shipped leapp data:
AlmaLinux as in shared/data/leapp-data/almalinux-repomap.json.el9, RHEL as in the RHEL
repomap.json.
"""

PROFILES = {
    "almalinux": {
        "name": "AlmaLinux",
        "os_name": "AlmaLinux",          # os_name in PES events
        "release_pkg": "almalinux-release",
        "release_file": "almalinux-release",   # /etc/<file>; redhat-release is a symlink to it
        "id_like": "rhel centos fedora",
        "vendor": "AlmaLinux",
        "packager": "AlmaLinux Packaging Team <packager@almalinux.org>",
        "key_file": "RPM-GPG-KEY-AlmaLinux",
        "home_url": "https://almalinux.org/",
        "cpe_vendor": "almalinux",
        "repomap_format": "1.2.0",
        "data_stream": "3.1",
        "codenames": {
            "8.6": "Sky Tiger", "8.7": "Stone Smilodon", "8.8": "Sapphire Caracal",
            "8.9": "Midnight Oncilla", "8.10": "Cerulean Leopard",
            "9.0": "Emerald Puma", "9.1": "Lime Lynx", "9.2": "Turquoise Kodkod",
            "9.3": "Shamrock Pampas Cat", "9.4": "Seafoam Ocelot", "9.5": "Teal Serval",
            "9.6": "Sage Margay", "9.7": "Moss Jungle Cat",
        },
        "repos": {
            "8": [
                {"id": "baseos", "pesid": "baseos", "name": "AlmaLinux $releasever - BaseOS",
                 "mirrorlist": "https://mirrors.almalinux.org/mirrorlist/$releasever/baseos",
                 "file": "almalinux-baseos.repo"},
                {"id": "appstream", "pesid": "appstream",
                 "name": "AlmaLinux $releasever - AppStream",
                 "mirrorlist": "https://mirrors.almalinux.org/mirrorlist/$releasever/appstream",
                 "file": "almalinux-appstream.repo"},
                {"id": "extras", "pesid": "extras", "name": "AlmaLinux $releasever - Extras",
                 "mirrorlist": "https://mirrors.almalinux.org/mirrorlist/$releasever/extras",
                 "file": "almalinux-extras.repo"},
                {"id": "powertools", "pesid": "powertools",
                 "name": "AlmaLinux $releasever - PowerTools", "enabled": False,
                 "mirrorlist": "https://mirrors.almalinux.org/mirrorlist/$releasever/powertools",
                 "file": "almalinux-powertools.repo"},
            ],
            "9": [
                {"id": "almalinux9-baseos", "pesid": "almalinux9-baseos", "native_id": "baseos",
                 "name": "AlmaLinux 9 - BaseOS", "from": ["baseos"]},
                {"id": "almalinux9-appstream", "pesid": "almalinux9-appstream",
                 "native_id": "appstream", "name": "AlmaLinux 9 - AppStream",
                 "from": ["appstream"]},
                {"id": "almalinux9-crb", "pesid": "almalinux9-crb", "native_id": "crb",
                 "name": "AlmaLinux 9 - CRB", "from": ["powertools"]},
                {"id": "almalinux9-extras", "pesid": "almalinux9-extras", "native_id": "extras",
                 "name": "AlmaLinux 9 - Extras", "from": ["extras"]},
            ],
        },
        "target_mirror": "https://mirrors.almalinux.org/mirrorlist/$releasever/{native}",
    },
    "rhel": {
        "name": "Red Hat Enterprise Linux",
        "os_name": "RHEL",
        "release_pkg": "redhat-release",
        "release_file": "redhat-release",
        "id_like": "fedora",
        "vendor": "Red Hat, Inc.",
        "packager": "Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>",
        "key_file": "RPM-GPG-KEY-redhat-release",
        "home_url": "https://www.redhat.com/",
        "cpe_vendor": "redhat",
        "repomap_format": "1.2.1",
        "data_stream": "3.1",
        "codenames": {"8.10": "Ootpa", "9.6": "Plow", "9.8": "Plow", "9.9": "Plow"},
        "repos": {
            "8": [
                {"id": "rhel-8-for-x86_64-baseos-rpms", "pesid": "rhel8-BaseOS",
                 "name": "Red Hat Enterprise Linux 8 for x86_64 - BaseOS (RPMs)",
                 "baseurl": "https://cdn.redhat.com/content/dist/rhel8/$releasever/x86_64/baseos/os",
                 "file": "redhat.repo", "distro": True},
                {"id": "rhel-8-for-x86_64-appstream-rpms", "pesid": "rhel8-AppStream",
                 "name": "Red Hat Enterprise Linux 8 for x86_64 - AppStream (RPMs)",
                 "baseurl": "https://cdn.redhat.com/content/dist/rhel8/$releasever/x86_64/appstream/os",
                 "file": "redhat.repo"},
                {"id": "codeready-builder-for-rhel-8-x86_64-rpms", "pesid": "rhel8-CRB",
                 "name": "Red Hat CodeReady Linux Builder for RHEL 8 x86_64 (RPMs)",
                 "enabled": False,
                 "baseurl": "https://cdn.redhat.com/content/dist/rhel8/$releasever/x86_64/codeready-builder/os",
                 "file": "redhat.repo"},
            ],
            "9": [
                {"id": "rhel-9-for-x86_64-baseos-rpms", "pesid": "rhel9-BaseOS",
                 "name": "Red Hat Enterprise Linux 9 for x86_64 - BaseOS (RPMs)",
                 "from": ["rhel8-BaseOS"]},
                {"id": "rhel-9-for-x86_64-appstream-rpms", "pesid": "rhel9-AppStream",
                 "name": "Red Hat Enterprise Linux 9 for x86_64 - AppStream (RPMs)",
                 "from": ["rhel8-AppStream"]},
                {"id": "codeready-builder-for-rhel-9-x86_64-rpms", "pesid": "rhel9-CRB",
                 "name": "Red Hat CodeReady Linux Builder for RHEL 9 x86_64 (RPMs)",
                 "from": ["rhel8-CRB"]},
            ],
        },
        "target_mirror": None,
    },
}


def profile(distro_id):
    """The profile for a distro id, or None."""
    return PROFILES.get(distro_id)
