/* Benchmark helper: the bare cost of fork+exec+wait of an actor binary, fed its hello and one
 * input message on fd 3 exactly as the broker would, without the broker. */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "leapp/proto.h"
#include "leapp/util.h"

static void frame_hello(msgpack_sbuffer *out, const char *mode, const char *in_model, const char *out_model)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 9, "hello");
	mp_pack_kv_str(&pk, "actor", "bare");
	mp_pack_kv_str(&pk, "phase", "FactsCollection");
	mp_pack_kv_str(&pk, "execution", "bench");
	mp_pack_kv_str(&pk, "root", "/");
	mp_pack_kv_str(&pk, "scratch", "/tmp");
	mp_pack_str(&pk, "config");
	msgpack_pack_map(&pk, 3);
	mp_pack_kv_str(&pk, "mode", mode);
	mp_pack_kv_str(&pk, "in", in_model);
	mp_pack_kv_str(&pk, "out", out_model);
	mp_pack_str(&pk, "answers");
	msgpack_pack_map(&pk, 0);
	mp_pack_str(&pk, "workflow");
	msgpack_pack_map(&pk, 0);
	frame_end(&sb);
	msgpack_sbuffer_write(out, sb.data, sb.size);
	msgpack_sbuffer_clear(&sb);
	frame_begin(&sb, &pk, 5, "message");
	mp_pack_kv_str(&pk, "model", in_model);
	mp_pack_kv_str(&pk, "topic", "BenchTopic");
	mp_pack_kv_str(&pk, "producer", "bench");
	mp_pack_str(&pk, "data");
	msgpack_pack_map(&pk, 1);
	mp_pack_str(&pk, "n");
	msgpack_pack_int(&pk, 1);
	frame_end(&sb);
	msgpack_sbuffer_write(out, sb.data, sb.size);
	msgpack_sbuffer_clear(&sb);
	frame_begin(&sb, &pk, 1, "end-of-input");
	frame_end(&sb);
	msgpack_sbuffer_write(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_spawn N ACTOR-BINARY          bare spawn cost (us per actor)\n"
				"       bench_spawn --rusage CMD ARGS...    run CMD, print its peak RSS (KiB) and CPU time\n");
		return 2;
	}
	if (!strcmp(argv[1], "--rusage")) {
		pid_t p = fork();
		if (p == 0) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		int st;
		struct rusage ru;
		wait4(p, &st, 0, &ru);
		fprintf(stderr, "rusage: maxrss_kb=%ld user_s=%.3f sys_s=%.3f\n", ru.ru_maxrss,
			ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	int n = atoi(argv[1]);
	const char *bin = argv[2];
	msgpack_sbuffer in;
	msgpack_sbuffer_init(&in);
	frame_hello(&in, "relay", "Bench0", "Bench1");
	extern char **environ;
	double t0 = now_monotonic();
	struct rusage before, after;
	getrusage(RUSAGE_CHILDREN, &before);
	for (int i = 0; i < n; i++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return 1;
		if (write_all(sv[0], in.data, in.size) < 0)
			return 1;
		pid_t p = fork();
		if (p == 0) {
			dup2(sv[1], 3);
			char *args[] = {(char *)bin, NULL};
			execve(bin, args, environ);
			_exit(127);
		}
		close(sv[1]);
		char buf[65536];
		while (read(sv[0], buf, sizeof(buf)) > 0)
			;
		close(sv[0]);
		int st;
		waitpid(p, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "bench_spawn: %s failed (status %d)\n", bin, st);
			return 1;
		}
	}
	double t = now_monotonic() - t0;
	getrusage(RUSAGE_CHILDREN, &after);
	double cpu = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
		     (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
	printf("%.1f %.1f\n", t / n * 1e6, cpu / n * 1e6);
	msgpack_sbuffer_destroy(&in);
	return 0;
}
