/*
 * bench_toon — how long `lks zaak toon` takes as a whole command, the way a
 * case worker's tool or a script runs it: fork, exec, open the store, read
 * the case and its events, render, exit. Times N runs over different cases
 * with the monotonic clock around fork/wait only (no helper processes in the
 * measured span) and prints mean, p50, p95 and max in milliseconds; the same
 * for `lks --version` as the floor that process start-up alone costs.
 *
 * Usage: bench_toon LKS DB N MAXID
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double run(char *const argv[])
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    double dt = now_ms() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "command failed: %s %s\n", argv[0], argv[1]);
        exit(1);
    }
    return dt;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i];
    printf("  %-22s n=%d mean %.2f ms, p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", what, n, sum / n,
           t[n / 2], t[(int)(n * 0.95)], t[n - 1]);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_toon LKS DB N MAXID\n");
        return 2;
    }
    int n = atoi(argv[3]), maxid = atoi(argv[4]);
    double *t = malloc(sizeof *t * (size_t)n);
    char idbuf[32];
    char *toon[] = {argv[1], "zaak", "toon", "--db", argv[2], idbuf, NULL};
    char *version[] = {argv[1], "--version", NULL};
    unsigned seed = 42;
    for (int i = 0; i < n; i++)
        t[i] = run(version);
    report("lks --version", t, n);
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        snprintf(idbuf, sizeof idbuf, "%d", 1 + (int)((seed >> 8) % (unsigned)maxid));
        t[i] = run(toon);
    }
    report("lks zaak toon", t, n);
    free(t);
    return 0;
}
