package halo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read back with jHDF's reader; the end-to-end test reads the files with h5py and xarray. */
class Hdf5FieldTest {

    @TempDir
    Path dir;

    @Test
    void theFieldCoordinatesTimeAndParametersReadBack() throws IOException {
        int rows = 4;
        int cols = 3;
        int stride = cols + 2;
        double[] data = new double[rows * stride];
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.sqrt(i) - 1.0 / 3;
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("D", 1.0);
        parameters.put("nsteps", 707L);
        parameters.put("nrows", 4);
        parameters.put("program", "diff2d");
        parameters.put("graphics", true);
        FieldGrid grid = new FieldGrid(new double[] {0, 1, 2, 3}, new double[] {5, 6, 7}, 1.0, 1.0);
        Path file = dir.resolve("f.h5");
        Hdf5Field.write(file, data, 1, stride, new FieldMeta("density", grid, 0.1 + 0.2, 353, parameters));

        try (HdfFile hdf = new HdfFile(file)) {
            double[][] field = (double[][]) hdf.getDatasetByPath("density").getData();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(Double.doubleToRawLongBits(data[r * stride + 1 + c]),
                            Double.doubleToRawLongBits(field[r][c]));
                }
            }
            assertArrayEquals(grid.x(), (double[]) hdf.getDatasetByPath("x").getData());
            assertArrayEquals(grid.y(), (double[]) hdf.getDatasetByPath("y").getData());
            assertEquals(0.1 + 0.2, ((Number) hdf.getDatasetByPath("time").getData()).doubleValue());
            assertEquals(0.1 + 0.2, ((Number) hdf.getAttribute("time").getData()).doubleValue());
            assertEquals(353L, ((Number) hdf.getAttribute("step").getData()).longValue());
            assertEquals(1.0, ((Number) hdf.getAttribute("D").getData()).doubleValue());
            assertEquals(707L, ((Number) hdf.getAttribute("nsteps").getData()).longValue());
            assertEquals(4, ((Number) hdf.getAttribute("nrows").getData()).intValue());
            assertEquals("diff2d", hdf.getAttribute("program").getData());
            assertEquals("True", hdf.getAttribute("graphics").getData());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }

    @Test
    void aFailedWriteIsOneLineAndLeavesNothing() {
        FieldGrid grid = new FieldGrid(new double[] {0}, new double[] {0}, 1.0, 1.0);
        Path missing = dir.resolve("gone/f.h5");
        IOException e = assertThrows(IOException.class, () -> Hdf5Field.write(missing, new double[] {0, 1, 0}, 1, 3,
                new FieldMeta("density", grid, 0.0, 0, Map.of())));
        assertEquals("cannot write " + missing + ": no such file or directory", e.getMessage());
    }
}
