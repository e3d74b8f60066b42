$(eval $(call livemode_actor,remove_live_image,remove_live_image.c,,,))
