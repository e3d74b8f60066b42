/* Test helper: a TCP listener on 127.0.0.1 that counts the connections it accepts.
 * Usage: tcplisten PORTFILE COUNTFILE; it writes its port to PORTFILE and the running count to
 * COUNTFILE, and stops on SIGTERM. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tcplisten PORTFILE COUNTFILE\n");
		return 2;
	}
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) < 0) {
		perror("tcplisten");
		return 1;
	}
	FILE *f = fopen(argv[2], "w");
	if (!f)
		return 1;
	fprintf(f, "0\n");
	fclose(f);
	f = fopen(argv[1], "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	for (unsigned long n = 1;; n++) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		close(c);
		f = fopen(argv[2], "w");
		if (f) {
			fprintf(f, "%lu\n", n);
			fclose(f);
		}
	}
}
