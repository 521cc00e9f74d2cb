package halo.report;

/** One phase over a run's ranks: mean, max, imbalance (max/mean) and the slowest rank. */
record PhaseStats(double mean, double max, int slowestRank, String slowestHost) {

    static PhaseStats of(RunData run, String phase) {
        double sum = 0;
        int counted = 0;
        double max = Double.NEGATIVE_INFINITY;
        RankData slowest = null;
        for (RankData rank : run.rankData) {
            double seconds = rank.seconds(phase);
            if (!Double.isFinite(seconds)) {
                continue;
            }
            sum += seconds;
            counted++;
            if (seconds > max) {
                max = seconds;
                slowest = rank;
            }
        }
        if (counted == 0) {
            return new PhaseStats(Double.NaN, Double.NaN, -1, null);
        }
        return new PhaseStats(sum / counted, max, slowest.rank, slowest.host);
    }

    /** max/mean; NaN when the phase took no time. */
    double imbalance() {
        return mean > 0 ? max / mean : Double.NaN;
    }
}
