#!/bin/bash
# Bad input gets a clear inhibitor naming the file, repository or event (and position), and
# leaves no transaction.json, not even a partial one: corrupt or truncated repomd.xml and
# primary metadata, a missing repository, invalid PES and repomap files, a PES event naming an
# unknown repository.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }

# bad NAME: a copy of the demo with its own target repositories (NAME/repos)
bad() {
	p_copy demo "$1"
	sed -i "s#/demo/repos/#/$1/repos/#" "$P_DIR/$1/root/etc/leapp/files/leapp_upgrade_repositories.repo"
}

# check NAME KEY TEXT: inhibited with KEY whose summary holds TEXT, and no plan written
check() {
	local name=$1 key=$2 text=$3
	t_eq "$name: inhibited" 3 "$P_RC" || p_show "$name"
	t_eq "$name: the inhibitor" "$key" "$(p_inhibitors "$name")"
	local s
	s=$(p_entry "$name" "$key" .summary)
	if grep -qF -- "$text" <<<"$s"; then t_ok "$name: the inhibitor says: $text"
	else t_fail "$name: the inhibitor says: $text" "summary: $s"; fi
	t_check "$name: no transaction.json" test ! -e "$(p_plan "$name")"
	t_eq "$name: no temporary file left" "" "$(ls -A "$P_DIR/$name/root/var/log/leapp" | grep -v -e '^leapp-' -e '^answerfile' || true)"
}

repo=$P_DIR/demo/repos/almalinux9-appstream/repodata

bad repomd
head -c 300 "$repo/repomd.xml" >"$P_DIR/repomd/repos/almalinux9-appstream/repodata/repomd.xml"
p_preupgrade repomd
check repomd "$K_TARGET_REPO_UNUSABLE" "repository almalinux9-appstream: $P_DIR/repomd/repos/almalinux9-appstream/repodata/repomd.xml: corrupt repomd.xml"

bad primary
p=$(cd "$repo" && ls *-primary.xml.gz)
head -c 200 "$repo/$p" >"$P_DIR/primary/repos/almalinux9-appstream/repodata/$p"
p_preupgrade primary
check primary "$K_TARGET_REPO_UNUSABLE" "repository almalinux9-appstream: repodata/$p: checksum mismatch"

# a primary.xml that repomd.xml vouches for, but that is not valid XML
bad xml
printf '<?xml version="1.0"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" packages="1"><package type="rpm"><name>x' |
	gzip >"$P_DIR/xml/repos/almalinux9-appstream/repodata/$p"
old=$(sha256sum <"$repo/$p" | cut -d' ' -f1)
new=$(sha256sum <"$P_DIR/xml/repos/almalinux9-appstream/repodata/$p" | cut -d' ' -f1)
mv "$P_DIR/xml/repos/almalinux9-appstream/repodata/$p" "$P_DIR/xml/repos/almalinux9-appstream/repodata/$new-primary.xml.gz"
sed -i "s/$old/$new/g" "$P_DIR/xml/repos/almalinux9-appstream/repodata/repomd.xml"
p_preupgrade xml
check xml "$K_TARGET_REPO_UNUSABLE" "repository almalinux9-appstream: repodata/$new-primary.xml.gz: corrupt primary metadata"

bad missing
rm -rf "$P_DIR/missing/repos/almalinux9-crb"
p_preupgrade missing
check missing "$K_TARGET_REPO_UNUSABLE" "repository almalinux9-crb: $P_DIR/missing/repos/almalinux9-crb: No such file or directory (the repository is missing)"

# PES: not JSON, not PES, an unknown repository
F=root/etc/leapp/files
p_copy demo pessyntax
sed -i '5s/$/ ,,/' "$P_DIR/pessyntax/$F/pes-events.json"
p_preupgrade pessyntax
check pessyntax "$K_DATA_FILE_UNREADABLE" "/etc/leapp/files/pes-events.json:5:"

p_copy demo pesaction
jq '.packageinfo[1].action = 9' "$P_DIR/demo/$F/pes-events.json" >"$P_DIR/pesaction/$F/pes-events.json"
p_preupgrade pesaction
check pesaction "$K_PES_DATA_INVALID" "/etc/leapp/files/pes-events.json: \$.packageinfo[1] (event 102): action 9 is not a PES action"

p_copy demo pesrepo
jq '(.packageinfo[] | select(.id == 103) | .out_packageset.package[0].repository) = "nowhere-appstream"' \
	"$P_DIR/demo/$F/pes-events.json" >"$P_DIR/pesrepo/$F/pes-events.json"
p_preupgrade pesrepo
check pesrepo "$K_PES_UNKNOWN_REPOSITORY" "PES event 103 (renamed) names repository 'nowhere-appstream' for package s-nail"

p_copy demo nopes
rm "$P_DIR/nopes/$F/pes-events.json"
p_preupgrade nopes
check nopes "$K_DATA_FILE_MISSING" "/etc/leapp/files/pes-events.json: missing"

# repomap: not JSON, not a repomap
p_copy demo mapsyntax
sed -i '3s/$/ }/' "$P_DIR/mapsyntax/$F/repomap.json"
p_preupgrade mapsyntax
check mapsyntax "$K_DATA_FILE_UNREADABLE" "/etc/leapp/files/repomap.json:3:"

p_copy demo mapstruct
jq 'del(.repositories[2].entries[0].repoid)' "$P_DIR/demo/$F/repomap.json" >"$P_DIR/mapstruct/$F/repomap.json"
p_preupgrade mapstruct
check mapstruct "$K_REPOMAP_INVALID" "/etc/leapp/files/repomap.json: \$.repositories[2].entries[0]: missing 'repoid'"

p_copy demo mapversion
jq '.version_format = "2.0.0"' "$P_DIR/demo/$F/repomap.json" >"$P_DIR/mapversion/$F/repomap.json"
p_preupgrade mapversion
check mapversion "$K_REPOMAP_INVALID" "unsupported format 2.0.0"

# a vendor map that does not parse names the vendor file
p_copy demo vendormap
mkdir -p "$P_DIR/vendormap/$F/vendors.d"
printf '{"version_format": "1.2.0", "mapping": [\n  {"source_major_version": 7}\n]}\n' >"$P_DIR/vendormap/$F/vendors.d/acme_map.json"
p_preupgrade vendormap
check vendormap "$K_REPOMAP_INVALID" "\$.mapping[0]: missing 'target_major_version'"
t_done
