package halo.diff2d;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import halo.io.FieldGrid;
import halo.io.FieldMeta;
import halo.io.Hdf5Field;
import halo.io.Npy;
import halo.io.Pvd;
import halo.io.RunDirectory;
import halo.io.StripFile;
import halo.io.Vti;
import halo.params.Diff2dParams;
import halo.params.FieldFormats;
import halo.params.FieldFormats.Format;

/**
 * The files of the field in every format of {@code --format}, for a snapshot
 * ({@code snapshot-NNNNN.npy/.vti/.h5}) or the final field ({@code final.npy/.vti/.h5}): the
 * {@code .npy} and {@code .vti} are {@link StripFile}s that every rank writes its rows of; the
 * {@code .h5} is written by rank 0 from the whole field, gathered ({@link #wholeFieldNeeded}).
 * On rank 0 it also keeps {@code field.pvd}, which lists every {@code .vti} once it is in place
 * with its simulated time, and the names of the files in place, by kind, for summary.json.
 * Not thread-safe: the bookkeeping runs on the caller's thread only.
 */
final class FieldFiles {

    /** One output's files: those every rank writes its rows of, and where rank 0 writes the .h5. */
    record Output(FieldMeta meta, StripFile npy, StripFile vti, Path h5, Path png) {
        /** The .npy and .vti, as asked. */
        List<StripFile> strips() {
            List<StripFile> strips = new ArrayList<>(2);
            if (npy != null) {
                strips.add(npy);
            }
            if (vti != null) {
                strips.add(vti);
            }
            return strips;
        }
    }

    private static final String FIELD = "density";

    private final RunDirectory directory;
    private final FieldFormats formats;
    private final FieldMeta meta;
    private final Pvd collection;
    private final Map<String, List<String>> written = new LinkedHashMap<>();
    private long lastCollectedStep = -1;

    FieldFiles(RunDirectory directory, FieldFormats formats, Diff2dParams params) {
        this.directory = directory;
        this.formats = formats;
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

    /** Snapshot {@code index}, of the field at {@code step}, with its picture when {@code png}. */
    Output snapshot(int index, double simtime, long step, boolean png) {
        return output(directory.snapshotNpy(index), directory.snapshot(index, "vti"), directory.snapshot(index, "h5"),
                png ? directory.snapshotPng(index) : null, meta.at(simtime, step));
    }

    /** The final field's files. */
    Output finalField(double simtime, long step) {
        return output(directory.finalField(), directory.finalField("vti"), directory.finalField("h5"), null,
                meta.at(simtime, step));
    }

    private Output output(Path npy, Path vti, Path h5, Path png, FieldMeta at) {
        FieldGrid grid = at.grid();
        return new Output(at, formats.has(Format.NPY) ? Npy.file(npy, grid.rows(), grid.cols()) : null,
                formats.has(Format.VTK) ? Vti.file(vti, at) : null, formats.has(Format.HDF5) ? h5 : null, png);
    }

    /**
     * Whether rank 0 needs the whole field: for HDF5, as jHDF writes a dataset from one array
     * only. The one output for which a rank holds more than its strip.
     */
    boolean wholeFieldNeeded() {
        return formats.has(Format.HDF5);
    }

    /** On rank 0, the output's .h5 from the whole field, rows {@code stride} apart from {@code offset}. */
    static void writeHdf5(Output output, double[] whole, int offset, int stride) throws IOException {
        Hdf5Field.write(output.h5(), whole, offset, stride, output.meta());
    }

    /**
     * On rank 0, once every file of {@code output} is in place: their names, and the .vti in the
     * collection (a final field at the step of the last snapshot is that snapshot again, not a
     * second time step).
     */
    void placed(Output output) throws IOException {
        if (output.npy() != null) {
            record(Format.NPY.key(), output.npy().target());
        }
        if (output.png() != null) {
            record("png", output.png());
        }
        if (output.vti() != null) {
            record(Format.VTK.key(), output.vti().target());
            if (output.meta().step() > lastCollectedStep) {
                if (lastCollectedStep < 0) {
                    record("pvd", collection.file());
                }
                collection.add(output.meta().time(), output.vti().target());
                lastCollectedStep = output.meta().step();
            }
        }
        if (output.h5() != null) {
            record(Format.HDF5.key(), output.h5());
        }
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

    private void record(String format, Path file) {
        written.computeIfAbsent(format, key -> new ArrayList<>()).add(file.getFileName().toString());
    }
}
