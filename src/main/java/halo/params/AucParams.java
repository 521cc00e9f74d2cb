package halo.params;

/**
 * Parameters of auc: the number of sample points of the left Riemann sum over [0, 3].
 *
 * @param ntot number of samples x_i = i·dx, i = 0 … ntot-1
 */
public record AucParams(long ntot) {

    /** Upper end of the integration range [0, UPPER]. */
    public static final double UPPER = 3.0;

    public static AucParams from(ParameterSource source) {
        return new AucParams(source.positiveLong("ntot"));
    }

    public double dx() {
        return UPPER / ntot;
    }
}
