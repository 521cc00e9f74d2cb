package halo.auc;

import java.util.LinkedHashMap;
import java.util.Map;

import halo.kernel.Integrand;
import halo.kernel.Kernels;
import halo.params.AucParams;

/** auc's sections of {@code summary.json}: parameters, the derived range and step, the area. */
final class AucSummary {

    private AucSummary() {}

    static Map<String, Object> sections(AucParams params, Kernels kernels, double area) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("ntot", params.ntot());
        parameters.put("kernels", kernels.toString());
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("a", 0.0);
        derived.put("b", AucParams.UPPER);
        derived.put("dx", params.dx());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("area", area);
        result.put("exact", Integrand.EXACT_AREA);
        result.put("error", area - Integrand.EXACT_AREA);
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("parameters", parameters);
        sections.put("derived", derived);
        sections.put("result", result);
        return sections;
    }
}
