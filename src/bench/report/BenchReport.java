import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The table of src/main/scripts/bench.sh: reads its samples.csv (group,case,metric,value: one
 * line per repetition), prints medians with [min..max], the ratios and the targets of issue 4,
 * and writes the same figures as JSON. Run by bench.sh with the JDK's source launcher:
 *
 * <pre>  java src/bench/report/BenchReport.java target/bench/samples.csv target/bench/bench.json</pre>
 *
 * Units: Gcell/s = 10^9 cell updates per second; bytes per cell update = 16 (one 8-byte read
 * of the cell, one 8-byte write of the next level; the neighbours come from cache), counted
 * as STREAM counts its copy and scale, so a stencil at the roofline streams like scale.
 */
public final class BenchReport {

    private static final double BYTES_PER_CELL = 16.0;
    private static final double COURSE_CELLS_PER_STEP = 266.0 * 266.0;
    private static final double BIG_CELLS_PER_STEP = 2000.0 * 2000.0;
    private static final double AUC_SAMPLES = 30_000_000.0;

    /** Median and range of one metric's repetitions. */
    record Stat(double median, double min, double max, int count) {
        static Stat of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Stat(median, v[0], v[n - 1], n);
        }

        /** The same statistic of f(value), f monotonic (min and max swap if it decreases). */
        Stat map(DoubleUnaryOperator f) {
            double a = f.applyAsDouble(min);
            double b = f.applyAsDouble(max);
            return new Stat(f.applyAsDouble(median), Math.min(a, b), Math.max(a, b), count);
        }

        String show(String format) {
            return String.format(Locale.ROOT, format + " [" + format + ".." + format + "]", median, min, max);
        }
    }

    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final StringBuilder table = new StringBuilder();

    public static void main(String[] args) throws IOException {
        BenchReport report = new BenchReport();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 4);
            String key = f[0] + "/" + f[1] + "/" + f[2];
            if (f[0].equals("check")) {
                report.texts.put(key, f[3]);
                continue;
            }
            try {
                report.values.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
            } catch (NumberFormatException e) {
                report.texts.put(key, f[3]);
            }
        }
        report.build();
        System.out.print(report.table);
        Files.writeString(Path.of(args[1]), toJson(report.json, "") + "\n");
    }

    private boolean has(String key) {
        return values.containsKey(key);
    }

    private Stat stat(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("no samples for " + key);
        }
        return Stat.of(v);
    }

    /** Per-repetition quotient a/b of two metrics sampled together. */
    private Stat quotient(String a, String b) {
        List<Double> x = values.get(a);
        List<Double> y = values.get(b);
        List<Double> q = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            q.add(x.get(i) / y.get(i));
        }
        return Stat.of(q);
    }

    private void line(String format, Object... args) {
        table.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void build() {
        // ------------------------------------------------------------ bandwidth
        line("== Memory bandwidth (STREAM-like, C + OpenMP, GB/s; 16 bytes per element) ==");
        Map<String, Object> bandwidth = new LinkedHashMap<>();
        for (String kernel : List.of("copy", "scale")) {
            for (int cores : new int[] {1, 2}) {
                Stat s = stat("stream/" + kernel + "-" + cores + "core/GBps");
                line("  %-6s %d core%s  %s", kernel, cores, cores > 1 ? "s" : " ", s.show("%6.1f"));
                bandwidth.put(kernel + "_" + cores + "core_GBps", s);
            }
        }
        // the roofline is a bound: the best rate seen, as STREAM reports it (other load only lowers it)
        double bw1 = Math.max(stat("stream/scale-1core/GBps").max(), stat("stream/copy-1core/GBps").max());
        double bw2 = Math.max(bw1, Math.max(stat("stream/scale-2core/GBps").max(), stat("stream/copy-2core/GBps").max()));
        line("  roofline (best rate / 16 B per cell update): %.1f GB/s = %.2f Gcell/s on 1 core, %.1f GB/s = %.2f on 2",
                bw1, bw1 / BYTES_PER_CELL, bw2, bw2 / BYTES_PER_CELL);
        bandwidth.put("roofline_1core_GBps", bw1);
        bandwidth.put("roofline_2core_GBps", bw2);
        json.put("bandwidth", bandwidth);

        // ------------------------------------------------------------ kernels
        line("");
        line("== Kernels on one core, steady state (C: gcc -O3 -march=native -ffp-contract=off; Halo: JMH) ==");
        line("  %-48s %-24s %6s %9s", "", "Gcell/s (auc: Gsample/s)", "x C", "roofline");
        Map<String, Object> kernels = new LinkedHashMap<>();
        for (String size : List.of("course", "big")) {
            if (!has("c/" + size + "/seconds")) {
                continue;
            }
            double cellsPerStep = size.equals("course") ? COURSE_CELLS_PER_STEP : BIG_CELLS_PER_STEP;
            Stat c = quotient("c/" + size + "/cells", "c/" + size + "/seconds").map(x -> x / 1e9);
            String name = size.equals("course") ? "diff2d 266x266 (in cache)" : "diff2d 2000x2000 (memory)";
            kernels.put("diff2d_" + size + "_c_Gcells", c);
            line("  %-48s %-24s %6s %9s", name + ", C", c.show("%5.2f"), "1.00",
                    size.equals("big") ? percent(c.median() * BYTES_PER_CELL / bw1) : "");
            for (String form : List.of("vector", "scalar", "scalar-nosuperword")) {
                String key = "jmh/stencil-" + (size.equals("course") ? "266" : "2000") + "-" + form + "/us";
                if (!has(key)) {
                    continue;
                }
                Stat halo = stat(key).map(us -> cellsPerStep / us / 1e3);
                kernels.put("diff2d_" + size + "_halo_" + form + "_Gcells", halo);
                kernels.put("diff2d_" + size + "_halo_" + form + "_vs_c", halo.median() / c.median());
                line("  %-48s %-24s %6.2f %9s", name + ", Halo " + form, halo.show("%5.2f"),
                        halo.median() / c.median(),
                        size.equals("big") ? percent(halo.median() * BYTES_PER_CELL / bw1) : "");
            }
        }
        Stat cAuc = quotient("c/auc/samples", "c/auc/seconds").map(x -> x / 1e9);
        kernels.put("auc_c_Gsamples", cAuc);
        line("  %-48s %-24s %6s", "auc 3e7 samples, C", cAuc.show("%5.2f"), "1.00");
        for (String form : List.of("vector", "scalar", "scalar-nosuperword")) {
            Stat halo = stat("jmh/auc-" + form + "/us").map(us -> AUC_SAMPLES / us / 1e3);
            kernels.put("auc_halo_" + form + "_Gsamples", halo);
            kernels.put("auc_halo_" + form + "_vs_c", halo.median() / cAuc.median());
            line("  %-48s %-24s %6.2f", "auc 3e7 samples, Halo " + form, halo.show("%5.2f"), halo.median() / cAuc.median());
        }
        json.put("kernels", kernels);

        // ------------------------------------------------------------ course problem, whole process
        line("");
        line("== Course problem (266x266, 7075 steps), whole process through mpjrun.sh, seconds ==");
        line("   np  %-22s %6s %7s %6s %7s %7s %7s %7s %7s %7s %7s %8s", "process", "JVM", "options", "MPJ", "set-up",
                "Log4j", "compute", "warm-up", "halo", "us/step", "I/O", "shutdown");
        double steadyVector = has("jmh/stencil-266-vector/us")
                ? COURSE_CELLS_PER_STEP / stat("jmh/stencil-266-vector/us").median() / 1e3 : Double.NaN;
        Map<String, Object> course = new LinkedHashMap<>();
        for (int np : new int[] {1, 2, 4, 8}) {
            course.put("np" + np, wholeProcess("course-np" + np, steadyVector, true));
        }
        if (has("c-mpi/course-np2/process")) {
            Stat c2 = stat("c-mpi/course-np2/process");
            Stat c8 = stat("c-mpi/course-np8/process");
            line("  C + Open MPI (diff2d_mpi.c, a ghost row every step), whole process: -np 2 %s s, -np 8 %s s (%.2fx)",
                    c2.show("%.2f"), c8.show("%.2f"), c8.median() / c2.median());
            line("  Halo against it: -np 2 %.2fx, -np 8 %.2fx its time",
                    stat("run/course-np2/process").median() / c2.median(),
                    stat("run/course-np8/process").median() / c8.median());
            course.put("c_openmpi_np2_process_s", c2);
            course.put("c_openmpi_np8_process_s", c8);
        }
        json.put("course", course);

        line("");
        line("== Each option on and off: course problem, whole process (default: auto halo depth, overlap, vector,"
                + " JIT warm-up, parallel collector) ==");
        line("   np  %-26s %-22s %-22s %-22s %8s", "variant", "process s", "compute s", "halo s", "us/step");
        Map<String, Object> options = new LinkedHashMap<>();
        for (int np : new int[] {2, 8}) {
            for (String variant : List.of("blocking-depth1", "overlap-depth1", "overlap-depth8", "overlap-depth16",
                    "blocking", "course", "scalar", "no-temporal-blocking", "no-warm-up", "g1")) {
                String c = variant + "-np" + np;
                if (!has("run/" + c + "/process")) {
                    continue;
                }
                String label = switch (variant) {
                    case "blocking-depth1" -> "depth 1, blocking (before)";
                    case "overlap-depth1" -> "depth 1, overlap";
                    case "overlap-depth8" -> "depth 8, overlap";
                    case "overlap-depth16" -> "depth 16, overlap";
                    case "blocking" -> "auto depth, blocking";
                    case "course" -> "auto depth, overlap (default)";
                    case "no-temporal-blocking" -> "default, no temp. blocking";
                    case "no-warm-up" -> "default, no JIT warm-up";
                    case "g1" -> "default, G1 collector";
                    default -> "default, scalar kernels";
                };
                Stat process = stat("run/" + c + "/process");
                Stat halo = stat("run/" + c + "/halo_exchange");
                Stat steps = stat("run/" + c + "/steps");
                line("  %3d  %-26s %-22s %-22s %-22s %8.1f", np, label, process.show("%5.2f"),
                        stat("run/" + c + "/compute").show("%5.3f"), halo.show("%5.3f"),
                        halo.median() / steps.median() * 1e6);
                options.put(c, Map.of("process_s", process, "compute_s", stat("run/" + c + "/compute"),
                        "halo_s", halo));
            }
        }
        for (String variant : List.of("graphics-foreground", "graphics-background")) {
            String c = variant + "-np2";
            if (has("run/" + c + "/process")) {
                Stat process = stat("run/" + c + "/process");
                Stat io = stat("run/" + c + "/io");
                line("    2  %-26s %-22s I/O on rank 0 in the loop: %s s", variant.equals("graphics-foreground")
                        ? "--graphics, writes in loop" : "--graphics, background-io", process.show("%5.2f"), io.show("%5.3f"));
                options.put(c, Map.of("process_s", process, "io_s", io));
            }
        }
        json.put("options", options);

        // ------------------------------------------------------------ 2000 x 2000
        Map<String, Object> big = new LinkedHashMap<>();
        if (has("run/big-np1/process")) {
            line("");
            line("== 2000x2000, 2000 steps (memory bound), whole process ==");
            line("  (efficiency and roofline from the kernel rate, or from the loop rate when ranks outnumber cores)");
            line("  %-28s %-22s %-22s %7s %9s %8s %-18s", "run", "kernel Gcell/s", "loop Gcell/s", "effic.",
                    "roofline", "us/step", "process s");
            for (String kernel : List.of("big", "big-vector", "big-vector-notb")) {
                Stat one = null;
                for (int np : new int[] {1, 2, 4, 8}) {
                    String c = kernel + "-np" + np;
                    if (!has("run/" + c + "/process")) {
                        continue;
                    }
                    Stat gcells = quotient("run/" + c + "/cells", "run/" + c + "/compute").map(x -> x / 1e9);
                    if (np == 1) {
                        one = gcells;
                    }
                    String form = switch (kernel) {
                        case "big" -> "scalar";
                        case "big-vector" -> "vector";
                        default -> "vector, no temp. blocking";
                    };
                    big.put(c, bigRow(c, form, np, 1, gcells, one, bw1, bw2));
                }
            }
            if (has("run/big-vector-threads2-np1/process")) {
                String c = "big-vector-threads2-np1";
                Stat gcells = quotient("run/" + c + "/cells", "run/" + c + "/compute").map(x -> x / 1e9);
                Stat one = quotient("run/big-vector-np1/cells", "run/big-vector-np1/compute").map(x -> x / 1e9);
                big.put(c, bigRow(c, "vector", 1, 2, gcells, one, bw1, bw2));
            }
            json.put("big", big);
        }

        // ------------------------------------------------------------ auc
        line("");
        line("== auc, ntot = 30,000,000, whole process ==");
        line("   np  %-22s %-24s %-20s", "process s", "compute s", "Gsample/s (kernel)");
        Map<String, Object> auc = new LinkedHashMap<>();
        for (int np : new int[] {1, 2, 4, 8}) {
            String c = "auc-np" + np;
            Stat process = stat("run/" + c + "/process");
            Stat compute = stat("run/" + c + "/compute");
            Stat rate = compute.map(s -> AUC_SAMPLES / s / 1e9);
            line("  %3d  %-22s %-24s %-20s", np, process.show("%5.2f"), compute.show("%6.4f"), rate.show("%5.2f"));
            auc.put("np" + np, Map.of("process_s", process, "compute_s", compute, "Gsamples", rate));
        }
        json.put("auc", auc);

        // ------------------------------------------------------------ checks
        line("");
        line("== Bitwise checks ==");
        Map<String, Object> checks = new LinkedHashMap<>();
        texts.forEach((key, value) -> {
            if (key.startsWith("check/") && key.endsWith("/bitwise")) {
                String name = key.substring(6, key.length() - 8);
                line("  %-40s %s", name, value);
                checks.put(name, value);
            }
        });
        String cArea = texts.get("check/auc-area/c");
        String haloArea = texts.get("check/auc-area/halo");
        if (cArea != null && haloArea != null) {
            boolean same = Double.doubleToLongBits(Double.parseDouble(cArea)) == Double.doubleToLongBits(Double.parseDouble(haloArea));
            line("  %-40s %s (C %s, Halo %s)", "auc area, -np 1", same ? "equal" : "DIFFERENT", cArea, haloArea);
            checks.put("auc-area", same ? "equal" : "DIFFERENT");
        }
        json.put("checks", checks);

        targets(bw2);
    }

    /** One row of the course-problem table; returns its figures. */
    private Map<String, Object> wholeProcess(String c, double steadyGcells, boolean print) {
        Stat process = stat("run/" + c + "/process");
        Stat jvm = stat("run/" + c + "/startup_jvm");
        Stat options = stat("run/" + c + "/startup_options");
        Stat mpj = stat("run/" + c + "/startup_mpj_init");
        Stat setup = stat("run/" + c + "/setup");
        Stat logging = stat("run/" + c + "/startup_logging");
        Stat compute = stat("run/" + c + "/compute");
        Stat halo = stat("run/" + c + "/halo_exchange");
        Stat io = stat("run/" + c + "/io");
        Stat wall = stat("run/" + c + "/wall");
        double steps = stat("run/" + c + "/steps").median();
        double cellsPerRank = stat("run/" + c + "/cells").median() / Integer.parseInt(c.substring(c.lastIndexOf("np") + 2));
        double warmUp = compute.median() - cellsPerRank / (steadyGcells * 1e9);
        double shutdown = process.median() - jvm.median() - wall.median();
        if (print) {
            line("  %3s  %-22s %6.3f %7.3f %6.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.1f %7.3f %8.3f", c.substring(c.lastIndexOf("np") + 2),
                    process.show("%5.2f"), jvm.median(), options.median(), mpj.median(), setup.median(), logging.median(),
                    compute.median(),
                    warmUp, halo.median(), halo.median() / steps * 1e6, io.median(), shutdown);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("process_s", process);
        row.put("jvm_start_s", jvm.median());
        row.put("options_s", options.median());
        row.put("mpj_init_s", mpj.median());
        row.put("setup_s", setup.median());
        row.put("log4j_s", logging.median());
        row.put("compute_s", compute);
        row.put("jit_warm_up_s_estimate", warmUp);
        row.put("halo_s", halo);
        row.put("halo_us_per_step", halo.median() / steps * 1e6);
        row.put("io_s", io.median());
        row.put("shutdown_s", shutdown);
        return row;
    }

    private Map<String, Object> bigRow(String c, String kernel, int np, int threads, Stat gcells, Stat one,
                                       double bw1, double bw2) {
        List<Double> cells = values.get("run/" + c + "/cells");
        List<Double> compute = values.get("run/" + c + "/compute");
        List<Double> halo = values.get("run/" + c + "/halo_exchange");
        List<Double> loopRates = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            loopRates.add(cells.get(i) / (compute.get(i) + halo.get(i)) / 1e9);
        }
        Stat loop = Stat.of(loopRates);
        // on this 2-core machine the ideal for 2 or more ranks (or threads) is twice one core;
        // with more ranks than cores a rank's compute time no longer excludes the others', so
        // the rate that counts is the loop's (compute and halo exchange)
        int cores = Math.min(2, np * threads);
        double rate = np * threads > cores ? loop.median() : gcells.median();
        double efficiency = rate / (cores * one.median());
        double roofline = rate * BYTES_PER_CELL / (cores == 1 ? bw1 : bw2);
        Stat halos = stat("run/" + c + "/halo_exchange");
        double steps = stat("run/" + c + "/steps").median();
        Stat process = stat("run/" + c + "/process");
        String label = kernel + ", -np " + np + (threads > 1 ? ", " + threads + " threads" : "");
        line("  %-28s %-22s %-22s %7s %9s %8.1f %-18s", label,
                np * threads > cores ? "(oversubscribed)" : gcells.show("%5.2f"), loop.show("%5.2f"),
                np * threads > 1 ? percent(efficiency) : "", percent(roofline), halos.median() / steps * 1e6,
                process.show("%5.1f"));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kernel_Gcells", gcells);
        row.put("loop_Gcells", loop);
        row.put("parallel_efficiency", efficiency);
        row.put("roofline_fraction", roofline);
        row.put("halo_us_per_step", halos.median() / steps * 1e6);
        row.put("process_s", process);
        return row;
    }

    private void targets(double bw2) {
        line("");
        line("== Targets of issue 4 on this machine ==");
        Map<String, Object> targets = new LinkedHashMap<>();
        Map<String, Object> kernels = cast(json.get("kernels"));
        double vectorCourse = (double) kernels.get("diff2d_course_halo_vector_vs_c");
        double scalarCourse = (double) kernels.get("diff2d_course_halo_scalar_vs_c");
        target(targets, "1 serial diff2d kernel, course grid >= 0.9x C", vectorCourse >= 0.9,
                String.format(Locale.ROOT, "vector %.2fx, scalar %.2fx", vectorCourse, scalarCourse));
        Map<String, Object> big = cast(json.get("big"));
        if (big != null && big.containsKey("big-vector-np2")) {
            Map<String, Object> vector = cast(big.get("big-vector-np2"));
            Map<String, Object> scalar = cast(big.get("big-np2"));
            double e = (double) vector.get("parallel_efficiency");
            double r = (double) vector.get("roofline_fraction");
            target(targets, "2 2000x2000 at -np 2: efficiency >= 90%, roofline >= 85%", e >= 0.9 && r >= 0.85,
                    String.format(Locale.ROOT, "vector %s and %s; scalar %s and %s", percent(e), percent(r),
                            percent((double) scalar.get("parallel_efficiency")),
                            percent((double) scalar.get("roofline_fraction"))));
        }
        double vectorAuc = (double) kernels.get("auc_halo_vector_vs_c");
        double scalarAuc = (double) kernels.get("auc_halo_scalar_vs_c");
        target(targets, "3 auc kernel >= 1.0x C", vectorAuc >= 1.0,
                String.format(Locale.ROOT, "vector %.2fx, scalar %.2fx", vectorAuc, scalarAuc));
        Stat np2 = stat("run/course-np2/process");
        target(targets, "4 course problem, whole process, -np 2 < 1.0 s", np2.median() < 1.0, np2.show("%.2f") + " s");
        double ratio = stat("run/course-np8/process").median() / np2.median();
        target(targets, "5 -np 8 (oversubscribed) within 1.5x of -np 2", ratio <= 1.5,
                String.format(Locale.ROOT, "%.2fx", ratio));
        json.put("targets", targets);
    }

    private void target(Map<String, Object> targets, String name, boolean met, String measured) {
        line("  %-58s %-7s %s", name, met ? "met" : "NOT MET", measured);
        targets.put(name, Map.of("met", met, "measured", measured));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    private static String toJson(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "\n" : ",\n").append(inner).append('"').append(e.getKey()).append("\": ")
                        .append(toJson(e.getValue(), inner));
                first = false;
            }
            return out.append('\n').append(indent).append('}').toString();
        }
        if (value instanceof Stat s) {
            return String.format(Locale.ROOT, "{\"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d}",
                    number(s.median()), number(s.min()), number(s.max()), s.count());
        }
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Boolean || value instanceof Integer) {
            return value.toString();
        }
        return '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }
}
