import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The figures of src/main/scripts/bench.sh: reads its samples.csv (group,case,metric,value: one
 * line per repetition; group "meta" describes the machine and the run), prints markdown tables
 * of medians with [min..max] and the ratios, writes the same figures as JSON, and, given a
 * markdown file, replaces what stands between its markers {@value #BEGIN} and {@value #END}
 * with those tables. Run by bench.sh with the JDK's source launcher:
 *
 * <pre>  java src/bench/report/BenchReport.java target/bench/samples.csv target/bench/bench.json docs/performance.md</pre>
 *
 * Units: Gcell/s = 10^9 cell updates per second; bytes per cell update = 16 (one 8-byte read
 * of the cell, one 8-byte write of the next level; the neighbours come from cache), counted
 * as STREAM counts its copy and scale, so a stencil at the roofline streams like scale.
 *
 * <p>One file of about 480 lines, longer than the project's files usually are, so that the
 * JDK's source launcher runs it as it is: the launcher compiles a single file, and bench.sh
 * then needs no build step of its own.
 */
public final class BenchReport {

    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";
    private static final double BYTES_PER_CELL = 16.0;
    private static final int COURSE_COLS = 266;
    private static final double COURSE_CELLS_PER_STEP = (double) COURSE_COLS * COURSE_COLS;
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
    private final StringBuilder md = new StringBuilder();
    private int cores;

    public static void main(String[] args) throws IOException {
        BenchReport report = new BenchReport();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", 4);
            String key = f[0] + "/" + f[1] + "/" + f[2];
            try {
                if (f[0].equals("check") || f[0].equals("meta")) {
                    throw new NumberFormatException("a text");
                }
                report.values.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
            } catch (NumberFormatException e) {
                report.texts.put(key, f[3]);
            }
        }
        report.build();
        System.out.print(report.md);
        Files.writeString(Path.of(args[1]), toJson(report.json, "") + "\n");
        if (args.length > 2) {
            replaceBlock(Path.of(args[2]), report.md.toString());
        }
    }

    /** Puts {@code tables} between the markers of {@code file}, written aside and renamed. */
    static void replaceBlock(Path file, String tables) throws IOException {
        String text = Files.readString(file);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(file + " has no " + BEGIN + " ... " + END + " block for the tables");
        }
        String updated = text.substring(0, begin + BEGIN.length()) + "\n" + tables + text.substring(end);
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(aside, updated);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String meta(String key) {
        return texts.getOrDefault("meta/" + key, "?");
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

    private void heading(String title) {
        md.append('\n').append("### ").append(title).append("\n\n");
    }

    /** A markdown table row. */
    private void row(Object... cells) {
        md.append('|');
        for (Object cell : cells) {
            md.append(' ').append(cell).append(" |");
        }
        md.append('\n');
    }

    private void header(String... cells) {
        row((Object[]) cells);
        row(Collections.nCopies(cells.length, "---").toArray());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private void build() {
        cores = Integer.parseInt(meta("machine/cores"));
        // the roofline is a bound: the best rate seen, as STREAM reports it (other load only lowers it)
        double bw1 = Math.max(stat("stream/scale-1core/GBps").max(), stat("stream/copy-1core/GBps").max());
        double bwAll = cores == 1 ? bw1 : Math.max(bw1, Math.max(stat("stream/scale-" + cores + "core/GBps").max(),
                stat("stream/copy-" + cores + "core/GBps").max()));
        md.append(f("Measured %s (UTC) with `%s` (%s repetitions a figure) on %s, %s cores, %s of memory,"
                + " %s; memory bandwidth (best) %.1f GB/s on one core, %.1f GB/s on %d.", meta("run/date"),
                meta("run/command"), meta("run/reps"), meta("machine/cpu"), cores, meta("machine/memory"),
                meta("machine/jdk"), bw1, bwAll, cores));
        if (texts.containsKey("meta/run/load-start")) {
            md.append(f(" Load average (1 min): %s at the start, %s at the end; other work on the machine widens"
                    + " the spread and slows what it shares.", meta("run/load-start"), meta("run/load-end")));
        }
        if (meta("run/command").contains("--quick")) {
            md.append(" A `--quick` run, for trying the script: its figures are not to be relied on.");
        }
        md.append('\n');
        json.put("machine", Map.of("date", meta("run/date"), "command", meta("run/command"), "cpu", meta("machine/cpu"),
                "cores", cores, "memory", meta("machine/memory"), "jdk", meta("machine/jdk")));
        bandwidth(bw1, bwAll);
        kernels(bw1);
        course();
        startup(steadyVectorCourse());
        mpjExchange();
        options();
        big(bw1, bwAll);
        auc();
        checks();
    }

    private void bandwidth(double bw1, double bwAll) {
        heading("Memory bandwidth (STREAM-like, C + OpenMP), GB/s");
        Map<String, Object> bandwidth = new LinkedHashMap<>();
        List<Integer> counts = cores == 1 ? List.of(1) : List.of(1, cores);
        header(cores == 1 ? new String[] {"kernel", "1 core"} : new String[] {"kernel", "1 core", cores + " cores"});
        for (String kernel : List.of("copy", "scale")) {
            List<Object> cells = new ArrayList<>(List.of(kernel));
            for (int n : counts) {
                Stat s = stat("stream/" + kernel + "-" + n + "core/GBps");
                cells.add(s.show("%.1f"));
                bandwidth.put(kernel + "_" + n + "core_GBps", s);
            }
            row(cells.toArray());
        }
        row(cores == 1 ? new Object[] {"roofline: best ÷ 16 B a cell update", f("%.1f = %.2f Gcell/s", bw1, bw1 / 16)}
                : new Object[] {"roofline: best ÷ 16 B a cell update", f("%.1f = %.2f Gcell/s", bw1, bw1 / 16),
                        f("%.1f = %.2f Gcell/s", bwAll, bwAll / 16)});
        bandwidth.put("roofline_1core_GBps", bw1);
        bandwidth.put("roofline_allcores_GBps", bwAll);
        json.put("bandwidth", bandwidth);
    }

    private void kernels(double bw1) {
        heading("Kernels on one core, steady state (C: gcc -O3 -march=native -ffp-contract=off; Halo: JMH)");
        header("kernel", "C", "Halo vector", "Halo scalar", "scalar, `-XX:-UseSuperWord`");
        Map<String, Object> kernels = new LinkedHashMap<>();
        for (String size : List.of("course", "big")) {
            if (!has("c/" + size + "/seconds")) {
                continue;
            }
            boolean big = size.equals("big");
            double cellsPerStep = big ? BIG_CELLS_PER_STEP : COURSE_CELLS_PER_STEP;
            Stat c = quotient("c/" + size + "/cells", "c/" + size + "/seconds").map(x -> x / 1e9);
            kernels.put("diff2d_" + size + "_c_Gcells", c);
            List<Object> cells = new ArrayList<>(List.of(big ? "diff2d 2000×2000 (memory bound), Gcell/s (roofline)"
                    : "diff2d 266×266 (in cache), Gcell/s", c.show("%.2f") + (big ? roofline(c.median(), bw1) : "")));
            for (String form : List.of("vector", "scalar", "scalar-nosuperword")) {
                String key = "jmh/stencil-" + (big ? "2000" : "266") + "-" + form + "/us";
                if (!has(key)) {
                    cells.add("");
                    continue;
                }
                Stat halo = stat(key).map(us -> cellsPerStep / us / 1e3);
                kernels.put("diff2d_" + size + "_halo_" + form + "_Gcells", halo);
                kernels.put("diff2d_" + size + "_halo_" + form + "_vs_c", halo.median() / c.median());
                cells.add(f("%s = %.2f× C", halo.show("%.2f"), halo.median() / c.median())
                        + (big ? roofline(halo.median(), bw1) : ""));
            }
            row(cells.toArray());
        }
        Stat cAuc = quotient("c/auc/samples", "c/auc/seconds").map(x -> x / 1e9);
        kernels.put("auc_c_Gsamples", cAuc);
        List<Object> cells = new ArrayList<>(List.of("auc 3·10⁷ samples, Gsample/s", cAuc.show("%.2f")));
        for (String form : List.of("vector", "scalar", "scalar-nosuperword")) {
            Stat halo = stat("jmh/auc-" + form + "/us").map(us -> AUC_SAMPLES / us / 1e3);
            kernels.put("auc_halo_" + form + "_Gsamples", halo);
            kernels.put("auc_halo_" + form + "_vs_c", halo.median() / cAuc.median());
            cells.add(f("%s = %.2f× C", halo.show("%.2f"), halo.median() / cAuc.median()));
        }
        row(cells.toArray());
        json.put("kernels", kernels);
    }

    private static String roofline(double gcells, double bandwidth) {
        return " (" + percent(gcells * BYTES_PER_CELL / bandwidth) + ")";
    }

    private void course() {
        heading("Course problem (266×266, 7075 steps), whole process through mpjrun.sh, default options, seconds");
        header("-np", "process", "JVM start", "options", "MPJ init", "set-up (logs)", "compute (JIT warm-up)",
                "halo (per step)", "I/O", "shutdown");
        double steadyVector = steadyVectorCourse();
        Map<String, Object> course = new LinkedHashMap<>();
        for (int np : new int[] {1, 2, 4, 8}) {
            course.put("np" + np, wholeProcess("course-np" + np, String.valueOf(np), np, steadyVector));
        }
        for (int np : new int[] {2, 8}) {
            String key = "c-mpi/course-np" + np + "/process";
            if (has(key)) {
                row("C + Open MPI, " + np, stat(key).show("%.2f"), "", "", "", "", "", "", "", "");
                course.put("c_openmpi_np" + np + "_process_s", stat(key));
            }
        }
        md.append('\n').append(f("Halo's process time at -np 8 is %.2f× its time at -np 2.",
                stat("run/course-np8/process").median() / stat("run/course-np2/process").median()));
        if (has("c-mpi/course-np2/process")) {
            md.append(f(" Against C + Open MPI (`diff2d_mpi.c`, a ghost row every step): %.2f× its time at -np 2,"
                    + " %.2f× at -np 8.", stat("run/course-np2/process").median() / stat("c-mpi/course-np2/process").median(),
                    stat("run/course-np8/process").median() / stat("c-mpi/course-np8/process").median()));
        }
        md.append('\n');
        json.put("course", course);
    }

    /** Gcell/s of the vector stencil on the course grid under JMH, or NaN without it. */
    private double steadyVectorCourse() {
        return has("jmh/stencil-266-vector/us")
                ? COURSE_CELLS_PER_STEP / stat("jmh/stencil-266-vector/us").median() / 1e3 : Double.NaN;
    }

    /**
     * Start-up: the course problem on each device against the C + Open MPI program at the same
     * rank count, and against Halo's floor, {@code halo --version} through the same launcher
     * (the JVMs start, call MPI.Init and MPI.Finalize, and exit); then where Halo's time goes.
     */
    private void startup(double steadyVector) {
        record Case(String device, int np, String c) {}
        List<Case> cases = List.of(new Case("multicore", 2, "c-mpi"), new Case("multicore", 8, "c-mpi"),
                new Case("niodev", 2, "c-tcp"), new Case("niodev", 4, "c-tcp"));
        if (!has("floor/multicore-np2/process")) {
            return;
        }
        heading("Start-up: the course problem against C + Open MPI and against Halo's floor, whole process, seconds");
        header("device, -np", "C + Open MPI", "Halo", "Halo ÷ C", "floor: `halo --version`",
                "Halo's loop (compute + halo + I/O)", "Halo − floor − loop");
        Map<String, Object> startup = new LinkedHashMap<>();
        for (Case k : cases) {
            String run = "run/startup-" + k.device() + "-np" + k.np() + "/";
            Stat halo = stat(run + "process");
            Stat c = stat(k.c() + "/course-np" + k.np() + "/process");
            Stat floor = stat("floor/" + k.device() + "-np" + k.np() + "/process");
            double loop = stat(run + "compute").median() + stat(run + "halo_exchange").median() + stat(run + "io").median();
            double beyond = halo.median() - floor.median() - loop;
            row(k.device() + ", " + k.np(), c.show("%.2f") + (k.c().equals("c-tcp") ? " (TCP)" : ""), halo.show("%.2f"),
                    f("%.2f×", halo.median() / c.median()), floor.show("%.2f"), f("%.2f", loop), f("%.2f", beyond));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("c_openmpi_process_s", c);
            figures.put("halo_process_s", halo);
            figures.put("ratio_to_c", halo.median() / c.median());
            figures.put("floor_process_s", floor);
            figures.put("loop_s", loop);
            figures.put("beyond_floor_and_loop_s", beyond);
            startup.put(k.device() + "_np" + k.np(), figures);
        }
        md.append('\n');
        heading("Start-up: where Halo's time goes (the rows above), seconds");
        header("device, -np", "process", "JVM start", "options", "MPJ init", "set-up (logs)", "compute (JIT warm-up)",
                "halo (per step)", "I/O", "shutdown");
        for (Case k : cases) {
            startup.put(k.device() + "_np" + k.np() + "_breakdown",
                    wholeProcess("startup-" + k.device() + "-np" + k.np(), k.device() + ", " + k.np(), k.np(), steadyVector));
        }
        json.put("startup", startup);
    }

    /**
     * MPJ Express's own cost of one halo exchange (src/bench/mpj/MpjExchange.java, 2 ranks): over
     * the first exchanges of a fresh JVM, as many as the course problem makes at -np 2, and once
     * the JIT has compiled MPJ's code.
     */
    private void mpjExchange() {
        record Case(String device, int rows) {}
        List<Case> cases = List.of(new Case("multicore", 1), new Case("multicore", 63), new Case("niodev", 1),
                new Case("niodev", 61));
        if (!has("mpj/multicore-rows1/first_us")) {
            return;
        }
        heading("MPJ Express alone: one halo exchange between 2 ranks (Irecv, Isend, Wait on both), µs");
        long firstExchanges = Math.round(stat("mpj/multicore-rows1/first_exchanges").median());
        header("device", "message", "first " + firstExchanges + " exchanges of a JVM", "compiled", "first ÷ compiled");
        Map<String, Object> exchange = new LinkedHashMap<>();
        for (Case k : cases) {
            String c = "mpj/" + k.device() + "-rows" + k.rows() + "/";
            Stat first = stat(c + "first_us");
            Stat warm = stat(c + "warm_us");
            row(k.device(), f("%d × %d doubles (%.0f KiB)", k.rows(), COURSE_COLS, k.rows() * COURSE_COLS * 8 / 1024.0),
                    first.show("%.0f"), warm.show("%.0f"), f("%.1f×", first.median() / warm.median()));
            exchange.put(k.device() + "_rows" + k.rows(), Map.of("first_us", first, "compiled_us", warm));
        }
        json.put("mpj_exchange", exchange);
    }

    /** One row of a whole-process table (case {@code name} of the samples); returns its figures. */
    private Map<String, Object> wholeProcess(String name, String label, int np, double steadyGcells) {
        String c = "run/" + name + "/";
        Stat process = stat(c + "process");
        double steps = stat(c + "steps").median();
        double cellsPerRank = stat(c + "cells").median() / np;
        double compute = stat(c + "compute").median();
        double warmUp = compute - cellsPerRank / (steadyGcells * 1e9);
        double halo = stat(c + "halo_exchange").median();
        double shutdown = process.median() - stat(c + "startup_jvm").median() - stat(c + "wall").median();
        row(label, process.show("%.2f"), f("%.2f", stat(c + "startup_jvm").median()),
                f("%.2f", stat(c + "startup_options").median()), f("%.2f", stat(c + "startup_mpj_init").median()),
                f("%.2f (%.2f)", stat(c + "setup").median(), stat(c + "startup_logging").median()),
                f("%.2f (%.2f)", compute, warmUp), f("%.2f (%.0f µs)", halo, halo / steps * 1e6),
                f("%.2f", stat(c + "io").median()), f("%.2f", shutdown));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("process_s", process);
        row.put("jvm_start_s", stat(c + "startup_jvm").median());
        row.put("options_s", stat(c + "startup_options").median());
        row.put("mpj_init_s", stat(c + "startup_mpj_init").median());
        row.put("setup_s", stat(c + "setup").median());
        row.put("log4j_s", stat(c + "startup_logging").median());
        row.put("compute_s", stat(c + "compute"));
        row.put("jit_warm_up_s_estimate", warmUp);
        row.put("halo_s", stat(c + "halo_exchange"));
        row.put("halo_us_per_step", halo / steps * 1e6);
        row.put("io_s", stat(c + "io").median());
        row.put("shutdown_s", shutdown);
        return row;
    }

    private void options() {
        heading("Each option on and off: course problem, whole process, seconds");
        header("-np", "variant", "process", "compute", "halo", "halo µs/step");
        Map<String, Object> options = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("blocking-depth1", "halo depth 1, blocking exchange");
        labels.put("overlap-depth1", "depth 1, overlap");
        labels.put("overlap-depth8", "depth 8, overlap");
        labels.put("overlap-depth16", "depth 16, overlap");
        labels.put("blocking", "auto depth, blocking");
        labels.put("course", "auto depth, overlap (default)");
        labels.put("scalar", "default, `--kernels scalar`");
        labels.put("no-temporal-blocking", "default, `--temporal-blocking False`");
        labels.put("no-warm-up", "default, `-Dhalo.jit-warm-up=false`");
        labels.put("g1", "default, `-XX:+UseG1GC`");
        for (int np : new int[] {2, 8}) {
            for (Map.Entry<String, String> variant : labels.entrySet()) {
                String c = variant.getKey() + "-np" + np;
                if (!has("run/" + c + "/process")) {
                    continue;
                }
                Stat process = stat("run/" + c + "/process");
                Stat compute = stat("run/" + c + "/compute");
                Stat halo = stat("run/" + c + "/halo_exchange");
                row(np, variant.getValue(), process.show("%.2f"), compute.show("%.3f"), halo.show("%.3f"),
                        f("%.0f", halo.median() / stat("run/" + c + "/steps").median() * 1e6));
                options.put(c, Map.of("process_s", process, "compute_s", compute, "halo_s", halo));
            }
        }
        for (String variant : List.of("graphics-foreground", "graphics-background")) {
            String c = variant + "-np2";
            if (has("run/" + c + "/process")) {
                Stat process = stat("run/" + c + "/process");
                Stat io = stat("run/" + c + "/io");
                row(2, variant.equals("graphics-foreground") ? "`--graphics --background-io False`"
                        : "`--graphics` (background I/O)", process.show("%.2f"), "", "I/O in the loop " + io.show("%.3f"), "");
                options.put(c, Map.of("process_s", process, "io_s", io));
            }
        }
        json.put("options", options);
    }

    private void big(double bw1, double bwAll) {
        if (!has("run/big-np1/process")) {
            return;
        }
        heading("2000×2000, 2000 steps (memory bound), whole process");
        header("run", "kernel Gcell/s", "loop Gcell/s", "efficiency", "roofline", "halo µs/step", "process s");
        Map<String, Object> big = new LinkedHashMap<>();
        for (String kernel : List.of("big", "big-vector", "big-vector-notb")) {
            Stat one = null;
            for (int np : new int[] {1, 2, 4, 8}) {
                String c = kernel + "-np" + np;
                if (!has("run/" + c + "/process")) {
                    continue;
                }
                Stat gcells = quotient("run/" + c + "/cells", "run/" + c + "/compute").map(x -> x / 1e9);
                one = np == 1 ? gcells : one;
                String form = switch (kernel) {
                    case "big" -> "scalar";
                    case "big-vector" -> "vector";
                    default -> "vector, no temporal blocking";
                };
                big.put(c, bigRow(c, form, np, 1, gcells, one, bw1, bwAll));
            }
        }
        if (has("run/big-vector-threads2-np1/process")) {
            String c = "big-vector-threads2-np1";
            Stat gcells = quotient("run/" + c + "/cells", "run/" + c + "/compute").map(x -> x / 1e9);
            Stat one = quotient("run/big-vector-np1/cells", "run/big-vector-np1/compute").map(x -> x / 1e9);
            big.put(c, bigRow(c, "vector", 1, 2, gcells, one, bw1, bwAll));
        }
        json.put("big", big);
    }

    private Map<String, Object> bigRow(String c, String kernel, int np, int threads, Stat gcells, Stat one,
                                       double bw1, double bwAll) {
        List<Double> cells = values.get("run/" + c + "/cells");
        List<Double> compute = values.get("run/" + c + "/compute");
        List<Double> halo = values.get("run/" + c + "/halo_exchange");
        List<Double> loopRates = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            loopRates.add(cells.get(i) / (compute.get(i) + halo.get(i)) / 1e9);
        }
        Stat loop = Stat.of(loopRates);
        // the ideal for n ranks (or threads) is min(n, cores) times one core; with more ranks
        // than cores a rank's compute time no longer excludes the others', so the rate that
        // counts is the loop's (compute and halo exchange)
        int used = Math.min(cores, np * threads);
        boolean oversubscribed = np * threads > used;
        double rate = oversubscribed ? loop.median() : gcells.median();
        double efficiency = rate / (used * one.median());
        double roofline = rate * BYTES_PER_CELL / (used == 1 ? bw1 : bwAll);
        double steps = stat("run/" + c + "/steps").median();
        Stat process = stat("run/" + c + "/process");
        row(kernel + ", -np " + np + (threads > 1 ? ", " + threads + " threads" : ""),
                oversubscribed ? "(oversubscribed)" : gcells.show("%.2f"), loop.show("%.2f"),
                np * threads > 1 ? percent(efficiency) : "", percent(roofline),
                np > 1 ? f("%.0f", stat("run/" + c + "/halo_exchange").median() / steps * 1e6) : "",
                process.show("%.1f"));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kernel_Gcells", gcells);
        row.put("loop_Gcells", loop);
        row.put("parallel_efficiency", efficiency);
        row.put("roofline_fraction", roofline);
        row.put("halo_us_per_step", stat("run/" + c + "/halo_exchange").median() / steps * 1e6);
        row.put("process_s", process);
        return row;
    }

    private void auc() {
        heading("auc, ntot = 3·10⁷, whole process");
        header("-np", "process s", "compute s", "Gsample/s, all ranks");
        Map<String, Object> auc = new LinkedHashMap<>();
        for (int np : new int[] {1, 2, 4, 8}) {
            String c = "auc-np" + np;
            Stat process = stat("run/" + c + "/process");
            Stat compute = stat("run/" + c + "/compute");
            Stat rate = compute.map(s -> AUC_SAMPLES / s / 1e9);
            row(np, process.show("%.2f"), compute.show("%.4f"), rate.show("%.2f"));
            auc.put("np" + np, Map.of("process_s", process, "compute_s", compute, "Gsamples", rate));
        }
        json.put("auc", auc);
    }

    private void checks() {
        heading("Bitwise checks");
        header("fields compared", "result");
        Map<String, Object> checks = new LinkedHashMap<>();
        texts.forEach((key, value) -> {
            if (key.startsWith("check/") && key.endsWith("/bitwise")) {
                String name = key.substring(6, key.length() - 8);
                row(name, value);
                checks.put(name, value);
            }
        });
        String cArea = texts.get("check/auc-area/c");
        String haloArea = texts.get("check/auc-area/halo");
        if (cArea != null && haloArea != null) {
            boolean same = Double.doubleToLongBits(Double.parseDouble(cArea))
                    == Double.doubleToLongBits(Double.parseDouble(haloArea));
            row("auc area, C and Halo -np 1", (same ? "equal" : "DIFFERENT") + " (C " + cArea + ", Halo " + haloArea + ")");
            checks.put("auc-area", same ? "equal" : "DIFFERENT");
        }
        json.put("checks", checks);
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
