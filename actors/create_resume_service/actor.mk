$(eval $(call c_actor,create_resume_service,actors/create_resume_service,create_resume_service.c,,,))
