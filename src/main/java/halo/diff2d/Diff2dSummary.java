package halo.diff2d;

import java.util.LinkedHashMap;
import java.util.Map;

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
     * @param global the whole final field on rank 0, rows of {@code stride} values with one ghost
     *               column on each side
     */
    static Map<String, Object> sections(Diff2dParams params, Diff2dTuning tuning, double[] global, int stride,
                                        double simtime, int snapshots, Map<String, Object> checkpoints,
                                        FieldOutput output) {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("parameters", parameters(params, tuning, output));
        sections.put("derived", derived(params));
        sections.put("result", result(params, global, stride, simtime, snapshots, output.finalFile()));
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

    private static Map<String, Object> result(Diff2dParams params, double[] global, int stride, double simtime,
                                              int snapshots, String finalFile) {
        double sum = 0.0;
        for (int i = 0; i < params.nrows(); i++) {
            int rowStart = i * stride + 1;
            for (int j = 0; j < params.ncols(); j++) {
                sum += global[rowStart + j];
            }
        }
        int centreRow = params.nrows() / 2;
        int centreCol = params.ncols() / 2;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("simtime", simtime);
        result.put("sum", sum);
        result.put("centre_value", global[centreRow * stride + 1 + centreCol]);
        result.put("centre_index", new int[] {centreRow, centreCol});
        result.put("final_field", finalFile);
        result.put("snapshots", snapshots);
        return result;
    }
}
