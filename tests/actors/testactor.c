/* A configurable actor for the engine tests: well-behaved modes and hostile ones. */
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include "leapp/actor.h"
#include "leapp/proto.h"

static long long cfg_int(const char *k, long long def)
{
	json_t *v = json_object_get(actor_config(), k);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

static const char *cfg_str(const char *k, const char *def)
{
	const char *s = json_string_value(json_object_get(actor_config(), k));
	return s ? s : def;
}

/* Consume every TestValue and produce count messages whose n is the sum of inputs + 1. */
static void chain(void)
{
	long long sum = 0, seen = 0;
	const char *model;
	json_t *data;
	while (actor_next(&model, &data) > 0) {
		sum += json_integer_value(json_object_get(data, "n"));
		seen++;
		json_decref(data);
	}
	long long count = cfg_int("count", 1);
	actor_debug("consumed %lld messages, sum %lld", seen, sum);
	for (long long i = 0; i < count; i++)
		actor_produce("TestValue", json_pack("{s:s, s:I, s:s}", "producer", actor_name(), "n", (json_int_t)(sum + 1 + i),
						    "text", cfg_str("text", "")));
}

static void raw_frame(const void *body, size_t len)
{
	unsigned char h[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
			      (unsigned char)len};
	write_all(3, h, 4);
	write_all(3, body, len);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *mode = cfg_str("mode", "chain");
	actor_info("mode %s", mode);
	if (!strcmp(mode, "chain")) {
		chain();
	} else if (!strcmp(mode, "relay")) {
		/* consume everything, produce one message of the configured model (benchmarks) */
		long long sum = 0;
		const char *model;
		json_t *data;
		while (actor_next(&model, &data) > 0) {
			sum += json_integer_value(json_object_get(data, "n"));
			json_decref(data);
		}
		actor_produce(cfg_str("out", "TestValue"), json_pack("{s:I}", "n", (json_int_t)(sum + 1)));
	} else if (!strcmp(mode, "workflow")) {
		/* report the workflow configuration the actor was given */
		const char *tv = json_string_value(json_object_get(actor_workflow_config(), "target_version"));
		actor_produce("TestValue", json_pack("{s:s, s:i, s:s}", "producer", actor_name(), "n", 0, "text",
						    tv ? tv : "(none)"));
	} else if (!strcmp(mode, "segfault")) {
		actor_info("about to crash");
		/* under ASan its own SEGV handler would turn the crash into exit 1: take the
		 * kernel's default, so both builds see a real SIGSEGV */
		signal(SIGSEGV, SIG_DFL);
		/* not NULL: UBSan would report a null store before the fault */
		volatile uintptr_t addr = 16; /* volatile: the compiler may not prove it bad */
		*(volatile int *)addr = 1;
	} else if (!strcmp(mode, "exit3")) {
		actor_warning("exiting with code 3");
		exit(3);
	} else if (!strcmp(mode, "hang")) {
		for (;;)
			pause();
	} else if (!strcmp(mode, "spin")) {
		for (volatile unsigned long i = 0;; i++)
			;
	} else if (!strcmp(mode, "logflood")) {
		/* 10 MB of log lines */
		char line[1000];
		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 1] = 0;
		for (int i = 0; i < 10 * 1024; i++)
			actor_info("%d %s", i, line);
		chain();
	} else if (!strcmp(mode, "stdoutflood")) {
		char line[1001];
		memset(line, 'y', 1000);
		line[1000] = '\n';
		for (int i = 0; i < 10 * 1024; i++)
			if (write(1, line, sizeof(line)) < 0)
				break;
		chain();
	} else if (!strcmp(mode, "garbage")) {
		static const char junk[] = "\xc1\xc1\xc1 this is not msgpack";
		raw_frame(junk, sizeof(junk));
		sleep(30);
	} else if (!strcmp(mode, "rawgarbage")) {
		write_all(3, "GARBAGEGARBAGEGARBAGE", 21);
		sleep(30);
	} else if (!strcmp(mode, "bigframe")) {
		/* a header announcing a frame over the 16 MiB limit */
		unsigned char h[4] = {0x7f, 0xff, 0xff, 0xff};
		write_all(3, h, 4);
		sleep(30);
	} else if (!strcmp(mode, "closefd")) {
		close(3);
		sleep(30);
	} else if (!strcmp(mode, "undeclared")) {
		actor_produce("TestUndeclared", json_pack("{s:i}", "n", 1));
		sleep(5);
	} else if (!strcmp(mode, "invalid")) {
		actor_produce("TestValue", json_pack("{s:s, s:s}", "producer", actor_name(), "n", "not a number"));
		sleep(5);
	} else if (!strcmp(mode, "error")) {
		actor_error("the test actor reports an error", "details of the error");
	} else if (!strcmp(mode, "inhibit")) {
		json_t *e = report_new("Test inhibitor", "The test actor inhibits the upgrade.", "high");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Remove the test actor.");
		actor_report(e);
		chain();
	} else if (!strcmp(mode, "report")) {
		json_t *e = report_new(cfg_str("title", "Test report"), "A report from the test actor.", cfg_str("severity", "low"));
		actor_report(e);
		chain();
	} else if (!strcmp(mode, "dialog")) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s}]}", "scope", "test_scope", "title", "A test question",
				      "reason", "tests need answers", "components", "key", "confirm", "type", "bool", "label",
				      "Confirm the test?", "description", "Say True to go on.");
		json_t *a = actor_dialog(d);
		json_t *v = json_object_get(a, "confirm");
		char *txt = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
		actor_info("answer: %s", txt ? txt : "(none)");
		free(txt);
		json_decref(a);
		chain();
	} else if (!strcmp(mode, "stop")) {
		actor_stop_after_phase("the test says stop");
		chain();
	} else if (!strcmp(mode, "sleep")) {
		struct timespec ts = {.tv_sec = cfg_int("ms", 100) / 1000, .tv_nsec = (cfg_int("ms", 100) % 1000) * 1000000};
		nanosleep(&ts, NULL);
		chain();
	} else if (!strcmp(mode, "many")) {
		/* produce count small messages as fast as possible (benchmark b) */
		long long count = cfg_int("count", 100000);
		for (long long i = 0; i < count; i++)
			actor_produce("TestValue", json_pack("{s:s, s:I}", "producer", "m", "n", (json_int_t)i));
	} else if (!strcmp(mode, "ask")) {
		/* ask for one model by name (config out), as actors that need one input do */
		json_t *m = actor_consume_last(cfg_str("out", "TestTypes"));
		actor_info("asked for %s: %s", cfg_str("out", "TestTypes"), m ? "got it" : "none");
		json_decref(m);
	} else if (!strcmp(mode, "consume")) {
		long long seen = 0, sum = 0;
		const char *model;
		json_t *data;
		while (actor_next(&model, &data) > 0) {
			seen++;
			sum += json_integer_value(json_object_get(data, "n"));
			json_decref(data);
		}
		actor_produce("TestValue", json_pack("{s:s, s:I, s:s}", "producer", actor_name(), "n", (json_int_t)seen, "text",
						    "consumed"));
		actor_info("consumed %lld messages, sum %lld", seen, sum);
	} else if (!strcmp(mode, "fork-sleeper")) {
		pid_t p = fork();
		if (p == 0) {
			setsid();
			for (;;)
				pause();
		}
		char pidtxt[32];
		snprintf(pidtxt, sizeof(pidtxt), "%d", (int)p);
		actor_info("child %s", pidtxt);
		actor_produce("TestValue", json_pack("{s:s, s:i, s:s}", "producer", actor_name(), "n", (int)p, "text", "child-pid"));
	} else if (!strcmp(mode, "slow-exit")) {
		chain();
		actor_finish();
		sleep(1);
		return 0;
	} else if (!strcmp(mode, "fullreport")) {
		/* one report entry with every detail the report schema has (CLI report tests) */
		json_t *e = report_new(cfg_str("title", "Full report"), "Every detail of a report entry.\nSecond line.",
				       cfg_str("severity", "medium"));
		report_add_group(e, "sanity");
		report_add_group(e, "tools");
		report_add_hint(e, "Read the documentation.");
		const char *cmd[] = {"dnf", "remove", "-y", "foo", NULL};
		report_add_command(e, cmd);
		report_add_external(e, "https://example.com/doc", "The documentation");
		report_add_resource(e, "package", "foo");
		report_add_resource(e, "file", "/etc/foo.conf");
		json_array_append_new(json_object_get(json_object_get(e, "detail"), "remediations"),
				      json_pack("{s:s, s:s}", "type", "playbook", "context", "/usr/share/playbooks/foo.yml"));
		json_object_set_new(e, "audience", json_string("developer"));
		actor_report(e);
		chain();
	} else if (!strcmp(mode, "badreport")) {
		/* a report entry whose detail does not fit the report schema */
		json_t *e = report_new("Bad report", "A remediation of an unknown type.", "low");
		json_object_set_new(e, "detail", json_pack("{s:[{s:s, s:s}]}", "remediations", "type", "magic", "context", "x"));
		actor_report(e);
		chain();
	} else if (!strcmp(mode, "reports")) {
		/* count reports of every severity (and one error-free inhibitor when count > 1) */
		static const char *const sev[] = {"info", "low", "medium", "high"};
		for (long long i = 0; i < cfg_int("count", 1); i++) {
			char title[64];
			snprintf(title, sizeof(title), "%s %lld", cfg_str("title", "Report"), i);
			actor_report(report_new(title, "One of several reports.", sev[i % 4]));
		}
		chain();
	} else if (!strcmp(mode, "env")) {
		/* log the LEAPP_* environment the broker gave the actor (CLI option tests) */
		extern char **environ;
		for (char **v = environ; *v; v++)
			if (!strncmp(*v, "LEAPP_", 6))
				actor_info("env %s", *v);
		chain();
	} else {
		actor_error("unknown test mode", "%s", mode);
	}
	return actor_finish();
}
