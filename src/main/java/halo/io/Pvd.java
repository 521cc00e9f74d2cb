package halo.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A ParaView collection ({@code .pvd}): the {@code .vti} files of one run, each with its
 * simulated time, so that ParaView opens them as one data set and its time slider plays the run.
 * Rewritten whole after each file it gains, so that it always lists the files on disk, even
 * those of a run that was killed. It keeps a file name and a time per entry, not the fields.
 */
public final class Pvd {

    private record Entry(double time, String file) {}

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();

    /** @param file the collection to write; its entries name files beside it */
    public Pvd(Path file) {
        this.file = file;
    }

    /** Adds {@code dataset} (a file beside the collection) at simulated time {@code time}, and rewrites the collection. */
    public void add(double time, Path dataset) throws IOException {
        entries.add(new Entry(time, dataset.getFileName().toString()));
        byte[] xml = xml().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(xml));
    }

    public Path file() {
        return file;
    }

    String xml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n"
                + "<VTKFile type=\"Collection\" version=\"1.0\" byte_order=\"LittleEndian\">\n"
                + "  <Collection>\n");
        for (Entry entry : entries) {
            xml.append("    <DataSet timestep=\"").append(entry.time()).append("\" part=\"0\" file=\"")
                    .append(Vti.xmlAttribute(entry.file())).append("\"/>\n");
        }
        return xml.append("  </Collection>\n</VTKFile>\n").toString();
    }
}
