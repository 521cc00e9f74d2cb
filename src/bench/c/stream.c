/*
 * stream.c: STREAM-like memory bandwidth (copy c = a, scale b = s*c) on arrays far larger
 * than the last-level cache, with OpenMP threads (OMP_NUM_THREADS). Bytes are counted as
 * STREAM counts them: 16 per element (one read, one write; the write-allocate read of the
 * destination is not counted), the same accounting bench.sh uses for a stencil cell update.
 * Built with -fno-tree-loop-distribute-patterns so that copy stays a loop, not memcpy
 * (glibc's memcpy uses non-temporal stores, which no Java loop gets).
 *
 *   stream elements repetitions   ->  "stream copy rep N seconds S bytes B" lines, then scale
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: stream elements repetitions\n");
        return 2;
    }
    long n = atol(argv[1]);
    int repetitions = atoi(argv[2]);
    double *a = aligned_alloc(64, n * sizeof(double));
    double *b = aligned_alloc(64, n * sizeof(double));
    double *c = aligned_alloc(64, n * sizeof(double));
    /* first touch by the threads that use the pages */
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.0;
    }
    const double s = 3.0;
    for (int rep = 0; rep < repetitions; rep++) {
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++) {
            c[i] = a[i];
        }
        double t1 = now();
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++) {
            b[i] = s * c[i];
        }
        double t2 = now();
        printf("stream copy rep %d seconds %.9f bytes %.0f\n", rep, t1 - t0, 16.0 * n);
        printf("stream scale rep %d seconds %.9f bytes %.0f\n", rep, t2 - t1, 16.0 * n);
    }
    /* keep the results alive */
    return (a[n / 2] + b[n / 3] + c[n / 5]) == 42.0;
}
