/* FactsCollection: /etc/machine-id as it is, for check_machine_id to judge. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read("/etc/machine-id", 4096, &data, &len);
	json_t *id = json_null();
	if (r < 0)
		actor_warning("/etc/machine-id: %s", strerror(-r));
	else {
		if (len && data[len - 1] == '\n')
			len--;
		json_decref(id);
		id = json_stringn(data, len);
		if (!id) {
			/* not UTF-8: never a valid ID; keep it readable, with the other bytes as \xNN */
			_cleanup_free_ char *buf = xmalloc(len * 4 + 1);
			char *p = buf;
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)data[i];
				p += c >= 0x20 && c < 0x7f ? sprintf(p, "%c", c) : sprintf(p, "\\x%02x", c);
			}
			id = json_string(buf);
		}
	}
	actor_produce("MachineIdInfo", json_pack("{s:o}", "machine_id", id));
	return actor_finish();
}
