/*
 * diff2d_mpi.c: the course problem as a C + MPI program, the whole-process baseline of
 * Halo's diff2d: row strips, one ghost row traded with each neighbour every step by
 * MPI_Sendrecv (as the course's mpi4py version does), simtime printed every outtime, the
 * final field gathered to rank 0. Derivation as diff2d.c's, tent and update from diff2d.h, so
 * the field is bitwise Halo's (bench.sh checks it). Built by bench.sh with mpicc -O3
 * -march=native -ffp-contract=off; run with mpirun.
 *
 *   diff2d_mpi D x1 x2 runtime dx outtime final.raw
 *
 * final.raw: nrows*ncols float64, row-major, little endian.
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff2d.h"


int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 8) {
        if (rank == 0) fprintf(stderr, "usage: diff2d_mpi D x1 x2 runtime dx outtime final.raw\n");
        MPI_Finalize();
        return 2;
    }
    double D = atof(argv[1]), x1 = atof(argv[2]), x2 = atof(argv[3]);
    double runtime = atof(argv[4]), dxRequested = atof(argv[5]), outtime = atof(argv[6]);
    int nrows = (int) ((x2 - x1) / dxRequested);
    double dx = (x2 - x1) / nrows;
    double dt = 0.25 * (dx * dx) / D;
    long nsteps = (long) (runtime / dt);
    long nper = (long) (outtime / dt);
    double factor = (D / (dx * dx)) * dt;
    int stride = nrows + 2;
    /* Halo's block partition: rank r owns rows [r*nrows/size, (r+1)*nrows/size) */
    int first = (int) ((long) nrows * rank / size);
    int rows = (int) ((long) nrows * (rank + 1) / size) - first;
    double *cur = calloc((size_t) (rows + 2) * stride, sizeof(double));
    double *next = calloc((size_t) (rows + 2) * stride, sizeof(double));
    for (int i = 1; i <= rows; i++) {
        double ai = tent(first + i, x1, x2, nrows);
        for (int j = 1; j <= nrows; j++) {
            cur[i * stride + j] = ai * tent(j, x1, x2, nrows);
        }
    }
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    double simtime = 0.0;
    if (rank == 0) printf("%.6g\n", simtime);
    for (long s = 1; s <= nsteps; s++) {
        MPI_Sendrecv(cur + (size_t) rows * stride, stride, MPI_DOUBLE, down, 1, cur, stride, MPI_DOUBLE, up, 1,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Sendrecv(cur + stride, stride, MPI_DOUBLE, up, 2, cur + (size_t) (rows + 1) * stride, stride,
                     MPI_DOUBLE, down, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        step(cur, next, stride, rows, nrows, factor);
        double *t = cur;
        cur = next;
        next = t;
        simtime += dt;
        if (s % nper == 0 && rank == 0) printf("%.6g\n", simtime);
    }
    int *counts = malloc(size * sizeof(int)), *displs = malloc(size * sizeof(int));
    for (int r = 0; r < size; r++) {
        int f = (int) ((long) nrows * r / size);
        counts[r] = ((int) ((long) nrows * (r + 1) / size) - f) * stride;
        displs[r] = f * stride;
    }
    double *field = rank == 0 ? malloc((size_t) nrows * stride * sizeof(double)) : NULL;
    MPI_Gatherv(cur + stride, rows * stride, MPI_DOUBLE, field, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        FILE *out = fopen(argv[7], "wb");
        if (!out) {
            perror(argv[7]);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (int i = 0; i < nrows; i++) {
            fwrite(field + (size_t) i * stride + 1, sizeof(double), nrows, out);
        }
        fclose(out);
    }
    MPI_Finalize();
    return 0;
}
