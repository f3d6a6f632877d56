// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the initramfs that `make kselftest` boots: mount what the tests
 * read, run every program in /tests in turn with its TAP on the console,
 * then power off.  Each program's exit status is printed so the runner can
 * tell a crash from a result.  In a kernel with kmemleak, a scan after the
 * last program lists what the kernel leaked during the whole boot (KUnit
 * suites included, when they ran at boot).
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * kmemleak only reports objects unreferenced for 5 s (its min_age): wait,
 * scan, and print the report with a count the runner checks.
 */
static void kmemleak_scan(void)
{
	const char *path = "/sys/kernel/debug/kmemleak";
	char line[512];
	int fd, n = 0;
	FILE *f;

	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("ksft-init: kmemleak: not in this kernel\n");
		return;
	}
	sleep(6);
	if (write(fd, "scan", 4) != 4) {
		printf("ksft-init: kmemleak: scan refused (disabled?)\n");
		close(fd);
		return;
	}
	close(fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		printf("ksft-init: kmemleak: | %s", line);
		if (strstr(line, "unreferenced object"))
			n++;
	}
	if (f)
		fclose(f);
	printf("ksft-init: kmemleak: %d suspected leaks\n", n);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

int main(void)
{
	char *names[64], path[300];
	struct dirent *de;
	int n = 0, i, st;
	DIR *d;

	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);

	d = opendir("/tests");
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	printf("ksft-init: %d programs\n", n);
	for (i = 0; i < n; i++) {
		pid_t pid;

		snprintf(path, sizeof(path), "/tests/%s", names[i]);
		printf("ksft-init: start %s\n", names[i]);
		pid = fork();
		if (pid == 0) {
			execl(path, path, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			st = -1;
		printf("ksft-init: end %s status %d\n", names[i],
		       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	kmemleak_scan();
	printf("ksft-init: done\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
