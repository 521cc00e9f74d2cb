package halo.diff2d;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.DensityImage;
import halo.io.FieldGrid;
import halo.io.FieldMeta;
import halo.io.Hdf5Field;
import halo.io.Npy;
import halo.io.Pvd;
import halo.io.RunDirectory;
import halo.io.Vti;
import halo.params.Diff2dParams;
import halo.params.FieldFormats;
import halo.params.FieldFormats.Format;

/**
 * The files of one whole field on rank 0, in every format of {@code --format}: a snapshot
 * ({@code snapshot-NNNNN.npy/.vti/.h5} and its PNG picture) or the final field
 * ({@code final.npy/.vti/.h5}); with vtk, {@code field.pvd} lists every {@code .vti} with its
 * simulated time. It remembers the names of the files written, by format, for summary.json.
 * Not thread-safe: one thread at a time (the output thread, then the caller after it is done).
 */
final class FieldFiles {

    private static final String FIELD = "density";

    private final RunDirectory directory;
    private final FieldFormats formats;
    private final Diff2dParams params;
    private final FieldMeta meta;
    private final Pvd collection;
    private final Map<String, List<String>> written = new LinkedHashMap<>();
    private long lastCollectedStep = -1;

    FieldFiles(RunDirectory directory, FieldFormats formats, Diff2dParams params) {
        this.directory = directory;
        this.formats = formats;
        this.params = params;
        this.meta = new FieldMeta(FIELD, FieldGrid.square(params.nrows(), params.x1(), params.x2()), 0.0, 0,
                attributes(params));
        this.collection = formats.has(Format.VTK) ? new Pvd(directory.fieldCollection()) : null;
    }

    /** The run's parameters as HDF5 attributes: the course's, then the derived ones. */
    private static Map<String, Object> attributes(Diff2dParams params) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("program", "diff2d");
        attributes.put("D", params.D());
        attributes.put("x1", params.x1());
        attributes.put("x2", params.x2());
        attributes.put("runtime", params.runtime());
        attributes.put("outtime", params.outtime());
        attributes.put("dx_requested", params.dxRequested());
        attributes.put("dx", params.dx());
        attributes.put("dt", params.dt());
        attributes.put("nrows", params.nrows());
        attributes.put("ncols", params.ncols());
        attributes.put("nsteps", params.nsteps());
        attributes.put("nper", params.nper());
        return attributes;
    }

    /**
     * Snapshot {@code index}: the whole field (its rows, {@code stride} apart, with one ghost
     * column each side) at {@code step}, in every format, and its picture.
     */
    void snapshot(int index, double[] global, int stride, double simtime, long step) throws IOException {
        FieldMeta at = meta.at(simtime, step);
        if (formats.has(Format.NPY)) {
            record(Format.NPY.key(), npy(directory.snapshotNpy(index), global, stride));
        }
        String title = String.format("diff2d   simtime = %.4f   (step %d)", simtime, step);
        Path png = directory.snapshotPng(index);
        DensityImage.writePng(png, global, 1, params.nrows(), params.ncols(), stride, 0.0, 1.0, title);
        record("png", png);
        others(directory.snapshot(index, "vti"), directory.snapshot(index, "h5"), global, stride, at);
    }

    /** The final field, as {@link #snapshot} takes it, in every format. */
    void finalField(double[] global, int stride, double simtime, long step) throws IOException {
        if (formats.has(Format.NPY)) {
            record(Format.NPY.key(), npy(directory.finalField(), global, stride));
        }
        others(directory.finalField("vti"), directory.finalField("h5"), global, stride, meta.at(simtime, step));
    }

    /** The final field's file in the first of npy, vtk, hdf5 that the run writes. */
    String finalName() {
        Path file = switch (formats.list().get(0)) {
            case NPY -> directory.finalField();
            case VTK -> directory.finalField("vti");
            case HDF5 -> directory.finalField("h5");
        };
        return file.getFileName().toString();
    }

    /** The names of the files written so far, by kind ("npy", "png", "vtk", "pvd", "hdf5"). */
    Map<String, List<String>> written() {
        return written;
    }

    private Path npy(Path file, double[] global, int stride) throws IOException {
        Npy.write(file, global, 1, params.nrows(), params.ncols(), stride);
        return file;
    }

    /**
     * The .vti (then the collection, so that it lists only files on disk; a final field at the
     * step of the last snapshot is that snapshot again, not a second time step) and the .h5.
     */
    private void others(Path vti, Path h5, double[] global, int stride, FieldMeta at) throws IOException {
        if (formats.has(Format.VTK)) {
            Vti.write(vti, global, 1, stride, at);
            record(Format.VTK.key(), vti);
            if (at.step() > lastCollectedStep) {
                if (lastCollectedStep < 0) {
                    record("pvd", collection.file());
                }
                collection.add(at.time(), vti);
                lastCollectedStep = at.step();
            }
        }
        if (formats.has(Format.HDF5)) {
            Hdf5Field.write(h5, global, 1, stride, at);
            record(Format.HDF5.key(), h5);
        }
    }

    private void record(String format, Path file) {
        written.computeIfAbsent(format, key -> new ArrayList<>()).add(file.getFileName().toString());
    }
}
