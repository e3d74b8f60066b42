$(eval $(call livemode_actor,prepare_live_image,prepare_live_image.c,,,sys fs boot))
