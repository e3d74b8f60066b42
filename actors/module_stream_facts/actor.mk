$(eval $(call c_actor,module_stream_facts,actors/module_stream_facts,module_stream_facts.c,libsolvext modulemd-2.0 glib-2.0,,plan))
