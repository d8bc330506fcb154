/*
 * fdcount: prints the numbers of the file descriptors it was started with
 * ("0 1 2"), so a test can check that a tracer leaks none of its own
 * (ring-buffer readers, signalfd, pidfds, output files) into the app.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self, first = 1;

	if (!d)
		return 1;
	self = dirfd(d);
	while ((e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd == self)
			continue;
		printf(first ? "%d" : " %d", fd);
		first = 0;
	}
	printf("\n");
	closedir(d);
	return 0;
}
