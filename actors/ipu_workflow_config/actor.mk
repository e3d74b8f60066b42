$(eval $(call c_actor,ipu_workflow_config,actors/ipu_workflow_config,ipu_workflow_config.c,,,sys fs rpm plan))
