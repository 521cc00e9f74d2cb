package halo.diff2d;

import java.util.LinkedHashMap;
import java.util.Map;

import halo.kernel.Field;
import halo.params.Diff2dParams;
import halo.params.Diff2dTuning;

/**
 * diff2d's sections of {@code summary.json}: the parameters as given, the derived ones, the
 * result (the final field's sum, added in row order as the serial run does, and its centre), and
 * the field files written, by kind.
 */
final class Diff2dSummary {

    private Diff2dSummary() {}

    /**
     * @param sum    the final field's sum, added in row order ({@link #addRows})
     * @param centre the final field's value at (nrows/2, ncols/2)
     */
    static Map<String, Object> sections(Diff2dParams params, Diff2dTuning tuning, double sum, double centre,
                                        double simtime, int snapshots, Map<String, Object> checkpoints,
                                        FieldOutput output) {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("parameters", parameters(params, tuning, output));
        sections.put("derived", derived(params));
        sections.put("result", result(params, sum, centre, simtime, snapshots, output.finalFile()));
        sections.put("checkpoints", checkpoints);
        sections.put("files", output.files());
        return sections;
    }

    private static Map<String, Object> parameters(Diff2dParams params, Diff2dTuning tuning, FieldOutput output) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("D", params.D());
        parameters.put("x1", params.x1());
        parameters.put("x2", params.x2());
        parameters.put("runtime", params.runtime());
        parameters.put("dx", params.dxRequested());
        parameters.put("outtime", params.outtime());
        parameters.put("graphics", params.graphics());
        parameters.put("format", output.formats());
        parameters.put("halo-depth", tuning.haloDepth());
        parameters.put("overlap", tuning.overlap());
        parameters.put("threads", tuning.threads());
        parameters.put("background-io", tuning.backgroundIo());
        parameters.put("kernels", tuning.kernels().toString());
        parameters.put("temporal-blocking", tuning.temporalBlocking());
        return parameters;
    }

    private static Map<String, Object> derived(Diff2dParams params) {
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("nrows", params.nrows());
        derived.put("ncols", params.ncols());
        derived.put("npnts", params.nrows() + 2);
        derived.put("dx", params.dx());
        derived.put("dt", params.dt());
        derived.put("nsteps", params.nsteps());
        derived.put("nper", params.nper());
        return derived;
    }

    /**
     * {@code running} plus every interior cell of the strip, row after row: continued from rank
     * to rank in row order, the same additions in the same order as one process makes over the
     * whole field, so the sum is bitwise the serial one at any rank count.
     */
    static double addRows(double running, Field field) {
        double sum = running;
        double[] cells = field.current();
        for (int row = field.firstInteriorRow(); row <= field.lastInteriorRow(); row++) {
            int rowStart = field.rowStart(row) + 1;
            for (int j = 0; j < field.cols(); j++) {
                sum += cells[rowStart + j];
            }
        }
        return sum;
    }

    /** Global row and column of the centre cell reported. */
    static int[] centre(Diff2dParams params) {
        return new int[] {params.nrows() / 2, params.ncols() / 2};
    }

    private static Map<String, Object> result(Diff2dParams params, double sum, double centre, double simtime,
                                              int snapshots, String finalFile) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("simtime", simtime);
        result.put("sum", sum);
        result.put("centre_value", centre);
        result.put("centre_index", centre(params));
        result.put("final_field", finalFile);
        result.put("snapshots", snapshots);
        return result;
    }
}
