$(eval $(call c_actor,remove_resume_service,actors/remove_resume_service,remove_resume_service.c,,,))
