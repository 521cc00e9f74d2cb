package halo.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.lines.SeriesLines;

import halo.timing.Phase;

/**
 * The report's PNG charts, drawn with XChart (off-screen: Halo's main sets java.awt.headless):
 * per run the phase seconds of each rank as stacked bars and the time of each output interval;
 * for a scaling study the speedup and the efficiency against rank count with the ideal.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** One colour per phase, the same in every chart; a colour-blind-safe set (Okabe and Ito). */
    private static final Color[] PHASE_COLOURS = {new Color(0x999999), new Color(0x0072B2), new Color(0xE69F00),
        new Color(0x009E73), new Color(0xCC79A7)};

    private Charts() {}

    /** Writes every chart into {@code directory} (created if missing); returns the files. */
    static List<Path> write(Path directory, List<RunData> runs, Optional<Scaling> scaling) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RunData run : runs) {
            String name = uniqueName(run, names);
            written.add(save(phases(run), directory.resolve("phases-" + name + ".png")));
            if (run.rankData.stream().anyMatch(r -> !r.intervals.isEmpty())) {
                written.add(save(timeline(run), directory.resolve("timeline-" + name + ".png")));
            }
        }
        if (scaling.isPresent()) {
            written.add(save(speedup(scaling.get()), directory.resolve("speedup.png")));
            written.add(save(efficiency(scaling.get()), directory.resolve("efficiency.png")));
        }
        return written;
    }

    private static CategoryChart phases(RunData run) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Where each rank's time went: " + run.directory.getFileName() + " (" + run.app + ", "
                        + run.ranks + (run.ranks == 1 ? " rank)" : " ranks)"))
                .xAxisTitle("rank (host)").yAxisTitle("time (s)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        List<String> ranks = new ArrayList<>();
        for (RankData rank : run.rankData) {
            ranks.add(rank.rank + (rank.host != null && run.hosts().size() > 1 ? " (" + rank.host + ")" : ""));
        }
        for (Phase phase : Phase.values()) {
            List<Double> seconds = new ArrayList<>();
            for (RankData rank : run.rankData) {
                double value = rank.seconds(phase.key());
                seconds.add(Double.isFinite(value) ? value : 0.0);
            }
            chart.addSeries(phase.label(), ranks, seconds).setFillColor(PHASE_COLOURS[phase.ordinal()]);
        }
        return chart;
    }

    /** Per output interval: each phase's seconds (mean over ranks) and the slowest rank's wall. */
    private static XYChart timeline(RunData run) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Time per output interval: " + run.directory.getFileName())
                .xAxisTitle("time step (end of interval)").yAxisTitle("time in the interval (s)").build();
        style(chart.getStyler());
        TreeMap<Long, List<RankData.Interval>> byStep = new TreeMap<>();
        for (RankData rank : run.rankData) {
            for (RankData.Interval interval : rank.intervals) {
                byStep.computeIfAbsent(interval.toStep(), k -> new ArrayList<>()).add(interval);
            }
        }
        double[] steps = byStep.keySet().stream().mapToDouble(Long::doubleValue).toArray();
        for (Phase phase : Phase.values()) {
            if (phase == Phase.SETUP) {
                continue;
            }
            double[] mean = byStep.values().stream().mapToDouble(intervals -> intervals.stream()
                    .mapToDouble(i -> i.phaseSeconds().getOrDefault(phase.key(), 0.0)).average().orElse(0)).toArray();
            XYSeries series = chart.addSeries(phase.label() + " (mean of ranks)", steps, mean);
            series.setLineColor(PHASE_COLOURS[phase.ordinal()]);
            series.setMarkerColor(PHASE_COLOURS[phase.ordinal()]);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        double[] wall = byStep.values().stream().mapToDouble(intervals -> intervals.stream()
                .mapToDouble(RankData.Interval::wallSeconds).max().orElse(0)).toArray();
        XYSeries slowest = chart.addSeries("wall (slowest rank)", steps, wall);
        slowest.setLineColor(Color.BLACK);
        slowest.setLineStyle(SeriesLines.DASH_DASH);
        slowest.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }

    private static XYChart speedup(Scaling study) {
        boolean strong = study.kind() == Scaling.Kind.STRONG;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title((strong ? "Strong scaling: " : "Weak scaling: ") + study.problem())
                .xAxisTitle("ranks").yAxisTitle(strong ? "speedup (x, time loop)" : "scaled speedup (x, time loop)").build();
        style(chart.getStyler());
        double[] ranks = study.rows().stream().mapToDouble(Scaling.Row::ranks).toArray();
        double base = ranks[0];
        double[] ideal = study.rows().stream().mapToDouble(r -> r.ranks() / base).toArray();
        double[] measured = study.rows().stream().mapToDouble(Scaling.Row::speedup).toArray();
        ideal(chart.addSeries("ideal", ranks, ideal));
        measured(chart.addSeries("measured", ranks, measured));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }

    private static XYChart efficiency(Scaling study) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Parallel efficiency (" + (study.kind() == Scaling.Kind.STRONG ? "strong" : "weak") + "): "
                        + study.problem())
                .xAxisTitle("ranks").yAxisTitle("efficiency (%)").build();
        style(chart.getStyler());
        double[] ranks = study.rows().stream().mapToDouble(Scaling.Row::ranks).toArray();
        double[] hundred = study.rows().stream().mapToDouble(r -> 100.0).toArray();
        double[] measured = study.rows().stream().mapToDouble(r -> 100 * r.efficiency()).toArray();
        ideal(chart.addSeries("ideal", ranks, hundred));
        measured(chart.addSeries("measured", ranks, measured));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(110.0, 10 * Math.ceil(max(measured) / 10 + 0.5)));
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }

    private static void ideal(XYSeries series) {
        series.setLineColor(Color.GRAY);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(SeriesLines.DASH_DASH);
    }

    private static void measured(XYSeries series) {
        series.setLineColor(new Color(0x0072B2));
        series.setMarkerColor(new Color(0x0072B2));
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(new BasicStroke(2.5f));
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setChartTitleFont(TITLE);
        styler.setAxisTitleFont(AXIS_TITLE);
        styler.setAxisTickLabelsFont(TICKS);
        styler.setLegendFont(TICKS);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleBoxVisible(false);
        styler.setPlotBorderVisible(false);
        styler.setMarkerSize(8);
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }

    private static String uniqueName(RunData run, Set<String> taken) {
        Path fileName = run.directory.toAbsolutePath().normalize().getFileName();
        String stem = (fileName != null ? fileName.toString() : "run").replaceAll("[^A-Za-z0-9._-]", "_");
        String name = stem;
        for (int n = 2; !taken.add(name); n++) {
            name = stem + "-" + n;
        }
        return name;
    }

    private static double max(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
