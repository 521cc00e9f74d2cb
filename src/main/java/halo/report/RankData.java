package halo.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one rank's records say: where it ran, its phase seconds, exchanges and intervals. */
final class RankData {

    /** One output interval: the steps from..to, wall and per-phase seconds. */
    record Interval(long fromStep, long toStep, double wallSeconds, Map<String, Double> phaseSeconds) {}

    final int rank;
    String host;
    long pid = -1;
    int jvmSharedByRanks = 1;
    String javaVersion;
    /** Phase key (as in summary.json) to seconds, in phase order. */
    final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    /** True when the seconds are the rank's own totals; false: the sum of its intervals so far. */
    boolean phasesFinal;
    double wallSeconds = Double.NaN;
    double cellUpdates = Double.NaN;
    double peakHeapMib = Double.NaN;
    /** The rank's exchange record (messages, bytes, post/wait/blocking seconds), or empty. */
    Map<String, Object> exchange = Map.of();
    /** The rank's part of the problem, e.g. first_row and rows. */
    final Map<String, Object> part = new LinkedHashMap<>();
    long lastStep = -1;
    final List<Interval> intervals = new ArrayList<>();
    String error;
    /** The rank's start record (its part, the grid, planned steps, options), or empty. */
    Map<String, Object> start = Map.of();
    long stoppedAtStep = -1;
    boolean ended;
    int records;

    RankData(int rank) {
        this.rank = rank;
    }

    /** Seconds of a phase, NaN when not recorded. */
    double seconds(String phase) {
        Double seconds = phaseSeconds.get(phase);
        return seconds != null ? seconds : Double.NaN;
    }

    /** The time loop: compute, halo exchange, reduction and I/O, without set-up. */
    double loopSeconds() {
        double sum = 0;
        for (Map.Entry<String, Double> phase : phaseSeconds.entrySet()) {
            if (!phase.getKey().equals("setup")) {
                sum += phase.getValue();
            }
        }
        return sum;
    }
}
