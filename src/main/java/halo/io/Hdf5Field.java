package halo.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.exceptions.HdfException;

/**
 * Two-dimensional float64 fields as HDF5 files, written with jHDF (pure Java, so it loads in
 * every rank's class loader, which a JNI library such as the HDF Group's cannot), which h5py
 * reads as they are and xarray opens with {@code phony_dims}:
 * <pre>
 *   /NAME      float64 (rows, cols), the field: NAME[i, j] at (x[i], y[j])
 *   /x         float64 (rows), /y float64 (cols): the points' coordinates
 *   /time      float64 scalar: the simulated time
 *   attributes of the file: time, step, then the run's parameters
 * </pre>
 * jHDF cannot write object references, so the coordinates are not attached to the field as
 * HDF5 dimension scales: xarray names the dimensions {@code phony_dim_0}, {@code phony_dim_1}.
 *
 * <p>jHDF takes the field as a {@code double[rows][cols]}, so writing one holds a second copy of
 * it in memory; when that copy does not fit, the write fails with one line saying so.
 */
public final class Hdf5Field {

    private Hdf5Field() {
    }

    /**
     * Writes a rows×cols block of {@code data} whose rows are {@code rowStride} apart from
     * {@code offset} (the interior of a field with ghost columns) as one file, whole or not at all.
     *
     * @throws IOException whose message is one line: {@code cannot write PATH: REASON}
     */
    public static void write(Path file, double[] data, int offset, int rowStride, FieldMeta meta) throws IOException {
        FieldGrid grid = meta.grid();
        Block.check(data, offset, grid.rows(), grid.cols(), rowStride);
        double[][] rows = copyRows(file, data, offset, grid.rows(), grid.cols(), rowStride);
        AtomicFile.writeByName(file, temporary -> {
            try (WritableHdfFile hdf = HdfFile.write(temporary)) {
                WritableDataset field = hdf.putDataset(meta.name(), rows);
                field.putAttribute("long_name", meta.name());
                hdf.putDataset("x", grid.x()).putAttribute("long_name", "x");
                hdf.putDataset("y", grid.y()).putAttribute("long_name", "y");
                hdf.putDataset("time", meta.time()).putAttribute("long_name", "simulated time");
                hdf.putAttribute("time", meta.time());
                hdf.putAttribute("step", meta.step());
                for (Map.Entry<String, Object> parameter : meta.parameters().entrySet()) {
                    hdf.putAttribute(parameter.getKey(), attributeValue(parameter.getValue()));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (HdfException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        });
    }

    /** The field as jHDF takes it; a copy too large for the heap is a one-line failure, not a crash. */
    private static double[][] copyRows(Path file, double[] data, int offset, int rows, int cols, int rowStride)
            throws IOException {
        try {
            double[][] copy = new double[rows][];
            for (int i = 0; i < rows; i++) {
                int start = offset + i * rowStride;
                copy[i] = Arrays.copyOfRange(data, start, start + cols);
            }
            return copy;
        } catch (OutOfMemoryError e) {
            double mib = (double) rows * cols * Double.BYTES / (1 << 20);
            throw new IOException(String.format(Locale.ROOT, "cannot write %s: the %dx%d field (%.0f MiB) does not fit"
                    + " in memory a second time, as HDF5 output needs it on rank 0 (raise the JVM's -Xmx, or leave"
                    + " hdf5 out of --format)", file, rows, cols, mib));
        }
    }

    /** Booleans as the course's Python writes them: HDF5's bit field type is one h5py cannot read. */
    private static Object attributeValue(Object value) {
        if (value instanceof Boolean bool) {
            return bool ? "True" : "False";
        }
        return value;
    }
}
