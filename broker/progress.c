/* Progress of long actor steps: one redrawn line on a terminal, JSON events for programs. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "leapp/util.h"

static bool bar_shown;

void progress_clear(void)
{
	if (!bar_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	bar_shown = false;
}

static void human_size(int64_t n, char out[32])
{
	if (n >= 1024 * 1024 * 1024)
		snprintf(out, 32, "%.1f GiB", (double)n / (1024.0 * 1024 * 1024));
	else if (n >= 1024 * 1024)
		snprintf(out, 32, "%.1f MiB", (double)n / (1024.0 * 1024));
	else if (n >= 1024)
		snprintf(out, 32, "%.1f KiB", (double)n / 1024.0);
	else
		snprintf(out, 32, "%lld B", (long long)n);
}

void progress_show(struct output *o, const char *actor, const char *what, int64_t done, int64_t total)
{
	if (output_json(o)) {
		output_event(o, "progress", json_pack("{s:s, s:s, s:I, s:I}", "actor", actor, "what", what,
						      "done", (json_int_t)done, "total", (json_int_t)total));
		return;
	}
	/* a bar only for a person at a terminal; logs and pipes get nothing */
	if (!isatty(2))
		return;
	char d[32], t[32];
	human_size(done, d);
	human_size(total, t);
	if (total > 0) {
		int width = 30, fill = (int)(done * width / (total ? total : 1));
		if (fill > width)
			fill = width;
		char bar[32];
		memset(bar, '=', (size_t)fill);
		memset(bar + fill, ' ', (size_t)(width - fill));
		bar[width] = 0;
		fprintf(stderr, "\r\033[K    %s [%s] %3d%% %s / %s", what, bar, (int)(done * 100 / total), d, t);
	} else {
		fprintf(stderr, "\r\033[K    %s %s", what, d);
	}
	fflush(stderr);
	bar_shown = true;
	if (total > 0 && done >= total)
		progress_clear();
}
