/*
 * diff2d.h: what the C baselines of diff2d share with Halo: the tent of the initial density
 * and one step of the 5-point update, in halo.kernel.Stencil's order (so their fields are
 * bitwise Halo's).
 */
#ifndef HALO_BENCH_DIFF2D_H
#define HALO_BENCH_DIFF2D_H

#include <math.h>

static inline double tent(int i, double x1, double x2, int nrows) {
    double x = x1 + ((i - 1) * (x2 - x1)) / nrows;
    return 1 - fabs(1 - 4 * fabs((x - (x1 + x2) / 2) / (x2 - x1)));
}

/* One step over rows 1..rows of a (rows+2) x stride array: halo.kernel.Stencil's order. */
static inline void step(const double *restrict cur, double *restrict next, int stride, int rows, int cols,
                        double factor) {
    for (int row = 1; row <= rows; row++) {
        int start = row * stride + 1;
        for (int k = start; k < start + cols; k++) {
            double centre = cur[k];
            double laplacian = cur[k + stride] + cur[k - stride] + cur[k + 1] + cur[k - 1] - 4.0 * centre;
            next[k] = centre + factor * laplacian;
        }
    }
}

#endif
