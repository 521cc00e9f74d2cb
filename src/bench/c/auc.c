/*
 * auc.c: the native baseline of Halo's auc kernel: f(x) = 0.7x^3 - 2x^2 + 4 summed over
 * x = i*dx, i = 0 .. ntot-1, in exactly halo.kernel.Integrand's order (lanes of partial
 * sums per chunk, chunks added with Kahan compensation), so the sum is bitwise equal to
 * Halo's (bench.sh checks the printed area). gcc -O3 -march=native -ffp-contract=off.
 *
 *   auc ntot repetitions   ->  "auc rep N seconds S samples C area A" lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LANES 8
#define CHUNK 1024

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static inline double f(double x) {
    return (0.7 * x - 2.0) * x * x + 4.0;
}

static double sum(long from, long to, double dx) {
    double total = 0.0, compensation = 0.0;
    long i = from;
    while (i < to) {
        long chunkEnd = to < i + CHUNK ? to : i + CHUNK;
        double s[LANES] = {0};
        for (; i + LANES <= chunkEnd; i += LANES) {
            for (int l = 0; l < LANES; l++) {
                s[l] += f((double) (i + l) * dx);
            }
        }
        for (; i < chunkEnd; i++) {
            s[0] += f((double) i * dx);
        }
        /* pairwise, as Integrand folds its lanes */
        double y = (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))) - compensation;
        double t = total + y;
        compensation = (t - total) - y;
        total = t;
    }
    return total;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: auc ntot repetitions\n");
        return 2;
    }
    long ntot = atol(argv[1]);
    int repetitions = atoi(argv[2]);
    double dx = 3.0 / ntot;
    for (int rep = 0; rep < repetitions; rep++) {
        double start = now();
        double total = sum(0, ntot, dx);
        double seconds = now() - start;
        printf("auc rep %d seconds %.9f samples %ld area %.17g\n", rep, seconds, ntot, total * dx);
    }
    return 0;
}
