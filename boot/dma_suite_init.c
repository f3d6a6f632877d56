// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the initramfs the suite boots, for `make kselftest` and
 * `make bench` alike: one program, whose mode is chosen on the kernel
 * command line with dma_suite_init=MODE (the kernel passes unknown
 * "name=value" arguments of its command line to init as environment
 * variables, and init to what it runs):
 *
 * kselftest (the default): run every program in /tests in turn, its TAP
 *	on the console, and print its exit status so that the runner can
 *	tell a crash from a result; in a kernel with kmemleak, a scan after
 *	the last program lists what the kernel leaked during the whole boot
 *	(KUnit suites included, when they ran at boot).
 * bench: the dma_suite_bench module (its reps, smoke and channel come
 *	from the kernel command line), with upstream mm/dmapool_test.ko
 *	(/dmapool_test.ko) loaded just before and just after its pool part;
 *	upstream dmatest on the same channel for each size in
 *	$bench_dmatest_sizes; and, when the kernel has it, upstream
 *	kernel/dma/map_benchmark.c on the benchmark's own device, for each
 *	granule (pages per mapping) in $bench_map_granules.
 *
 * Either way it mounts proc, sysfs and devtmpfs first and powers off at
 * the end.  Kernel lines go to the console; this program's own lines start
 * with "ksft-init:" or "bench-init:", which the runners read.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

/* ---- what both modes use ---- */

/* the prefix of this program's lines: "ksft-init" or "bench-init" */
static const char *who = "ksft-init";

/*
 * One line of ours, printed by one printf(): on unbuffered stdout that is
 * one write, which no kernel line on the console can split.
 */
#define say(fmt, ...)	printf("%s: " fmt, who, ##__VA_ARGS__)

static const char *env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static void mount_basics(void)
{
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
}

static void mount_debugfs(void)
{
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

/* Write @val to the file @path; a failure is said, and returned (-errno) */
static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		say("write %s to %s: %s\n", val, path, strerror(-ret));
	return ret;
}

/* Run the program @path, no arguments; its exit status, or 128 + signal */
static int run_program(const char *path)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Load the module file @path, whose init does its work, and unload it,
 * @name, at once.  Returns 0, or -1 when there is no such file.
 */
static int load_and_unload(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (syscall(SYS_finit_module, fd, "", 0))
		say("load %s: %s\n", path, strerror(errno));
	else if (syscall(SYS_delete_module, name, O_NONBLOCK))
		say("unload %s: %s\n", name, strerror(errno));
	close(fd);
	return 0;
}

static void power_off(void)
{
	say("done\n");
	sync();
	reboot(RB_POWER_OFF);
}

/* ---- kselftest: the programs in /tests ---- */

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

	mount_debugfs();
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		say("kmemleak: not in this kernel\n");
		return;
	}
	sleep(6);
	if (write(fd, "scan", 4) != 4) {
		say("kmemleak: scan refused (disabled?)\n");
		close(fd);
		return;
	}
	close(fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		say("kmemleak: | %s", line);
		if (strstr(line, "unreferenced object"))
			n++;
	}
	if (f)
		fclose(f);
	say("kmemleak: %d suspected leaks\n", n);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static void run_kselftest(void)
{
	char *names[64], path[300];
	struct dirent *de;
	int n = 0, i;
	DIR *d;

	d = opendir("/tests");
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	say("%d programs\n", n);
	for (i = 0; i < n; i++) {
		struct timespec t0, t1;
		int status;

		snprintf(path, sizeof(path), "/tests/%s", names[i]);
		say("start %s\n", names[i]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		status = run_program(path);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		say("end %s status %d in %.1f s\n", names[i], status,
		    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	kmemleak_scan();
}

/* ---- bench: the benchmark module and upstream's tests ---- */

#define MOD	"/sys/module/"
#define DMATEST	MOD "dmatest/parameters/"
#define BENCH_DEV	"dma-suite-bench"

/* The UAPI of kernel/dma/map_benchmark.c (include/linux/map_benchmark.h) */
struct map_benchmark {
	__u64 avg_map_100ns;
	__u64 map_stddev;
	__u64 avg_unmap_100ns;
	__u64 unmap_stddev;
	__u32 threads;
	__u32 seconds;
	__s32 node;
	__u32 dma_bits;
	__u32 dma_dir;
	__u32 dma_trans_ns;
	__u32 granule;
	__u8 expansion[76];
};

#define DMA_MAP_BENCHMARK	_IOWR('d', 1, struct map_benchmark)

/* read a file whole (a blocking read of dmatest's "wait" waits) */
static void get(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

/* Read kernel log records until dmatest's summary line, for at most 60 s */
static void wait_summary(int kmsg)
{
	char rec[1024];
	ssize_t n;
	int waited;

	for (waited = 0; waited < 60000;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n > 0) {
			rec[n] = '\0';
			if (strstr(rec, "dmatest: ") && strstr(rec, ": summary "))
				return;
		} else if (n < 0 && errno == EAGAIN) {
			usleep(10000);
			waited += 10;
		} else if (n < 0 && errno != EPIPE) {
			break;
		}
	}
	say("no dmatest summary after %d ms\n", waited);
}

static void run_dmatest(const char *chan, const char *sizes, const char *iters)
{
	char list[256], *size, *save = NULL;
	int kmsg;

	if (access(DMATEST "run", F_OK)) {
		say("no dmatest in this kernel\n");
		return;
	}
	snprintf(list, sizeof(list), "%s", sizes);
	for (size = strtok_r(list, ",", &save); size;
	     size = strtok_r(NULL, ",", &save)) {
		say("dmatest channel=%s bytes=%s iterations=%s\n", chan, size, iters);
		/* all parameters before the channel: it takes them then */
		if (put(DMATEST "test_buf_size", size) ||
		    put(DMATEST "iterations", iters) ||
		    put(DMATEST "norandom", "1") ||
		    put(DMATEST "noverify", "1") ||
		    put(DMATEST "threads_per_chan", "1") ||
		    put(DMATEST "timeout", "10000") ||
		    put(DMATEST "channel", chan))
			return;
		kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
		if (kmsg >= 0)
			lseek(kmsg, 0, SEEK_END);
		if (put(DMATEST "run", "1"))
			return;
		get(DMATEST "wait");
		/*
		 * 6.1's "wait" returns at once if the thread has not started
		 * yet (it is still "pending"): wait for its summary line.
		 */
		if (kmsg >= 0) {
			wait_summary(kmsg);
			close(kmsg);
		}
	}
	/* give the channel back */
	put(DMATEST "run", "0");
}

/* upstream's figures, in units of 100 ns */
static void print_map(const struct map_benchmark *m)
{
	say("map_benchmark granule=%u map=%llu sd=%llu unmap=%llu unmap_sd=%llu\n",
	    m->granule, m->avg_map_100ns, m->map_stddev, m->avg_unmap_100ns, m->unmap_stddev);
}

static void run_map_benchmark(const char *granules)
{
	const char *dbg = "/sys/kernel/debug/dma_map_benchmark";
	char list[128], *g, *save = NULL;
	struct map_benchmark mb;
	int fd;

	if (access(MOD "dma_suite_bench", F_OK) ||
	    access("/sys/bus/platform/drivers/dma_map_benchmark", F_OK)) {
		say("no map_benchmark in this kernel\n");
		return;
	}
	if (put("/sys/bus/platform/devices/" BENCH_DEV "/driver_override",
		"dma_map_benchmark") ||
	    put("/sys/bus/platform/drivers/dma_map_benchmark/bind", BENCH_DEV))
		return;
	fd = open(dbg, O_RDWR);
	if (fd < 0) {
		say("%s: %s\n", dbg, strerror(errno));
		return;
	}
	snprintf(list, sizeof(list), "%s", granules);
	for (g = strtok_r(list, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
		memset(&mb, 0, sizeof(mb));
		mb.threads = 1;
		mb.seconds = 1;
		mb.node = -1;
		mb.dma_bits = 32;
		mb.granule = atoi(g);
		if (ioctl(fd, DMA_MAP_BENCHMARK, &mb)) {
			say("map_benchmark: %s\n", strerror(errno));
			break;
		}
		print_map(&mb);
	}
	close(fd);
}

/*
 * Load and unload upstream mm/dmapool_test.ko: its module init measures
 * and prints "dmapool test: size:... time:...".
 */
static void run_dmapool_test(void)
{
	if (access("/dmapool_test.ko", F_OK)) {
		say("no dmapool_test.ko in this kernel\n");
		return;
	}
	say("dmapool_test\n");
	load_and_unload("/dmapool_test.ko", "dmapool_test");
}

/* Run parts of dma_suite_bench: its parameters, then "run" */
static void run_bench_parts(const char *parts)
{
	if (put(MOD "dma_suite_bench/parameters/parts", parts) ||
	    put(MOD "dma_suite_bench/parameters/run", "1"))
		say("no dma_suite_bench in this kernel\n");
}

static void run_bench(void)
{
	mount_debugfs();
	say("start\n");
	/* upstream's pool test just before and just after ours */
	run_dmapool_test();
	run_bench_parts("pool");
	run_dmapool_test();
	run_bench_parts("growth,sg,map");
	run_dmatest(env("bench_channel", "dma0chan0"),
		    env("bench_dmatest_sizes", "4096"),
		    env("bench_dmatest_iterations", "20"));
	if (strcmp(env("bench_map", "1"), "0"))
		run_map_benchmark(env("bench_map_granules", "1,16,256"));
}

int main(void)
{
	const char *mode = env("dma_suite_init", "kselftest");

	mount_basics();
	if (!strcmp(mode, "bench")) {
		who = "bench-init";
		run_bench();
	} else if (!strcmp(mode, "kselftest")) {
		run_kselftest();
	} else {
		say("unknown mode dma_suite_init=%s (kselftest, bench)\n", mode);
	}
	power_off();
	return 0;
}
