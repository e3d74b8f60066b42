$(eval $(call c_actor,check_dnf_excludes,actors/check_dnf_excludes,check_dnf_excludes.c,,,))
