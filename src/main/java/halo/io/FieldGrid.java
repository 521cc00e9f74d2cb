package halo.io;

/**
 * Where the points of a two-dimensional field are: row i of the array lies at {@code x[i]}, column
 * j at {@code y[j]} (the course's {@code dens[i][j]} is the density at (x_i, y_j)), with the
 * points {@code dx} apart along x and {@code dy} along y.
 */
public record FieldGrid(double[] x, double[] y, double dx, double dy) {

    public FieldGrid {
        if (x.length == 0 || y.length == 0 || !(dx > 0) || !(dy > 0)) {
            throw new IllegalArgumentException("bad grid: " + x.length + "x" + y.length + " points, spacing "
                    + dx + ", " + dy);
        }
    }

    /**
     * The grid of n×n points on [lower, upper)² that the course uses: point k (from 0) at
     * {@code lower + (k·(upper-lower))/n}, computed so, to the same doubles as its initial state.
     */
    public static FieldGrid square(int n, double lower, double upper) {
        double[] points = new double[n];
        for (int k = 0; k < n; k++) {
            points[k] = lower + (k * (upper - lower)) / n;
        }
        double spacing = (upper - lower) / n;
        return new FieldGrid(points, points, spacing, spacing);
    }

    public int rows() {
        return x.length;
    }

    public int cols() {
        return y.length;
    }
}
