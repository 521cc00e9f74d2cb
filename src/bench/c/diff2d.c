/*
 * diff2d.c: the native baseline of Halo's diff2d kernel. Same problem, same derivation of
 * nrows, dx, dt and the update factor, same tent, and the same 5-point update in the same
 * arithmetic order as halo.kernel.Stencil, so the final field is bitwise equal to Halo's
 * (bench.sh checks it). Built by bench.sh with gcc -O3 -march=native -ffp-contract=off
 * (no fused multiply-add: Java does not contract a*b+c either).
 *
 *   diff2d D x1 x2 runtime dx repetitions final.raw
 *
 * Runs the whole time loop `repetitions` times from the initial state and prints one line
 * per repetition: "diff2d rep N seconds S cells C" (C = cell updates of the time loop).
 * The first repetition warms caches and page tables; bench.sh drops it. The field of the
 * last repetition is written to final.raw (nrows*ncols float64, row-major, little endian).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff2d.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: diff2d D x1 x2 runtime dx repetitions final.raw\n");
        return 2;
    }
    double D = atof(argv[1]), x1 = atof(argv[2]), x2 = atof(argv[3]);
    double runtime = atof(argv[4]), dxRequested = atof(argv[5]);
    int repetitions = atoi(argv[6]);
    int nrows = (int) ((x2 - x1) / dxRequested);
    double dx = (x2 - x1) / nrows;
    double dt = 0.25 * (dx * dx) / D;
    long nsteps = (long) (runtime / dt);
    double factor = (D / (dx * dx)) * dt;
    int stride = nrows + 2;
    size_t cells = (size_t) stride * stride;
    double *a = aligned_alloc(64, ((cells * sizeof(double) + 63) / 64) * 64);
    double *b = aligned_alloc(64, ((cells * sizeof(double) + 63) / 64) * 64);
    double *cur = a;
    for (int rep = 0; rep < repetitions; rep++) {
        memset(a, 0, cells * sizeof(double));
        memset(b, 0, cells * sizeof(double));
        for (int i = 1; i <= nrows; i++) {
            double ai = tent(i, x1, x2, nrows);
            for (int j = 1; j <= nrows; j++) {
                a[i * stride + j] = ai * tent(j, x1, x2, nrows);
            }
        }
        cur = a;
        double *next = b;
        double start = now();
        for (long s = 0; s < nsteps; s++) {
            step(cur, next, stride, nrows, nrows, factor);
            double *t = cur;
            cur = next;
            next = t;
        }
        double seconds = now() - start;
        printf("diff2d rep %d seconds %.9f cells %.0f\n", rep, seconds, (double) nrows * nrows * nsteps);
    }
    FILE *out = fopen(argv[7], "wb");
    if (!out) {
        perror(argv[7]);
        return 1;
    }
    for (int i = 1; i <= nrows; i++) {
        fwrite(cur + (size_t) i * stride + 1, sizeof(double), nrows, out);
    }
    fclose(out);
    return 0;
}
