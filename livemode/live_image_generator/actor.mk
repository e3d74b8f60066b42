$(eval $(call livemode_actor,live_image_generator,live_image_generator.c,,,sys fs boot))
